import { spawn } from "node:child_process";
import { constants } from "node:os";
import { StringDecoder } from "node:string_decoder";
import { CliError } from "./commands/errors.js";
import { truncateText } from "./upload/truncate.js";

export interface ExecOptions {
  /** Do not echo the child's stdout (stderr is always echoed, as in Testmo's CLI). */
  suppressStdout: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export interface ExecResult {
  command: string[];
  exitCode: number;
  /** Set when the child was killed by a signal; exitCode is then 128 + its number (W10). */
  signal?: NodeJS.Signals;
  elapsedMicros: number;
  /** Captured stdout+stderr in arrival order, bounded (head and tail kept, W7). */
  output: string;
}

/**
 * The Output field is middle-truncated to 16 KiB anyway, so keeping a head and a tail of that
 * size gives the exact same field as an unbounded capture while memory stays constant.
 */
const CAPTURE_HEAD = 16_384;
const CAPTURE_TAIL = 16_384;

export class BoundedCapture {
  private head = "";
  private tail = "";
  private dropped = 0;

  add(text: string): void {
    if (this.head.length < CAPTURE_HEAD) {
      const room = CAPTURE_HEAD - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (text === "") return;
    const combined = this.tail + text;
    if (combined.length > CAPTURE_TAIL) this.dropped += combined.length - CAPTURE_TAIL;
    this.tail = combined.length > CAPTURE_TAIL ? combined.slice(-CAPTURE_TAIL) : combined;
  }

  toString(): string {
    if (this.dropped === 0) return this.head + this.tail;
    return `${this.head}\n\n[... ${this.dropped} characters not kept ...]\n\n${this.tail}`;
  }
}

/** Runs the command without a shell, tees its output live, and passes its exit code through. */
export function runChildCommand(command: string[], options: ExecOptions): Promise<ExecResult> {
  const [program, ...args] = command;
  if (!program) throw new CliError("No command given");
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const capture = new BoundedCapture();
  const started = process.hrtime.bigint();

  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["inherit", "pipe", "pipe"] });
    // A CI runner cancelling the job sends SIGTERM to us alone: pass it on so the tests stop too.
    // Ctrl-C already reaches the child (same process group); we only stay alive to report its code.
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    const ignore = () => {};
    const forwarded: NodeJS.Signals[] = ["SIGTERM", "SIGHUP"];
    for (const signal of forwarded) process.on(signal, forward);
    process.on("SIGINT", ignore);
    const cleanup = () => {
      for (const signal of forwarded) process.off(signal, forward);
      process.off("SIGINT", ignore);
    };

    const tee = (source: NodeJS.ReadableStream, echo: NodeJS.WritableStream | undefined) => {
      const decoder = new StringDecoder("utf8");
      source.on("data", (chunk: Buffer) => {
        echo?.write(chunk);
        capture.add(decoder.write(chunk));
      });
      source.on("end", () => capture.add(decoder.end()));
    };
    tee(child.stdout!, options.suppressStdout ? undefined : stdout);
    tee(child.stderr!, stderr);

    child.on("error", (error) => {
      cleanup();
      reject(new CliError(`Failed to start process: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      cleanup();
      const elapsedMicros = Number((process.hrtime.bigint() - started + 500n) / 1000n);
      const exitCode = signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 0);
      resolve({ command, exitCode, signal: signal ?? undefined, elapsedMicros, output: capture.toString() });
    });
  });
}

export function elapsedSeconds(micros: number): string {
  return String(micros / 1e6);
}

/** The thread's `Output` console field (type 4), worded as Testmo's CLI words it. */
export function outputFieldValue(result: ExecResult): string {
  const value = [
    `Executing: ${result.command.join(" ")}`,
    "",
    result.output.trim(),
    "",
    `Exited after ${elapsedSeconds(result.elapsedMicros)} seconds with exit code ${describeExit(result)}`,
  ].join("\n");
  return truncateText(value);
}

/** `137 (killed by SIGKILL)` for a signal, the bare code otherwise. */
export function describeExit(result: ExecResult): string {
  return result.signal ? `${result.exitCode} (killed by ${result.signal})` : String(result.exitCode);
}
