/**
 * Where every message of the CLI goes. Info goes to stdout (as Testmo's CLI does, so scripts
 * that grep its output keep working); warnings, errors, progress and debug go to stderr, so
 * `RUN_ID=$(assay automation:run:create … --debug)` still captures only the id (W24).
 */
export interface LoggerOptions {
  ansi: boolean;
  debug: boolean;
  quiet: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

const YELLOW = "\u001b[33m";
const RED = "\u001b[31m";
const DIM = "\u001b[2m";
const RESET = "\u001b[0m";

export class Logger {
  readonly ansi: boolean;
  readonly debugEnabled: boolean;
  readonly quiet: boolean;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;

  constructor(options: LoggerOptions) {
    this.ansi = options.ansi;
    this.debugEnabled = options.debug;
    this.quiet = options.quiet;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
  }

  /** Progress and status messages; silenced by --quiet. */
  info(message: string): void {
    if (!this.quiet) this.stdout.write(`${message}\n`);
  }

  /** Machine-readable output (the run id of run:create); never silenced. */
  result(message: string): void {
    this.stdout.write(`${message}\n`);
  }

  warn(message: string): void {
    this.stderr.write(`${this.paint(YELLOW, message)}\n`);
  }

  error(message: string): void {
    this.stderr.write(`${this.paint(RED, message)}\n`);
  }

  debug(message: string | (() => string)): void {
    if (!this.debugEnabled) return;
    const text = typeof message === "function" ? message() : message;
    this.stderr.write(`${this.paint(DIM, `[debug] ${text}`)}\n`);
  }

  private paint(color: string, text: string): string {
    return this.ansi ? `${color}${text}${RESET}` : text;
  }
}

/**
 * Testmo's rule (colours on when stdout is a TTY and CI is not "true"), plus the NO_COLOR
 * convention; an explicit --ansi / --no-ansi wins over both.
 */
export function resolveAnsi(flag: boolean | undefined, env: NodeJS.ProcessEnv, stdoutIsTty: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stdoutIsTty && env.CI !== "true";
}
