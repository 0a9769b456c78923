/**
 * Upload progress. On an interactive terminal a bar redrawn in place on stderr; in CI logs
 * (non-TTY) one plain line at most every few seconds, so a long upload shows it is alive
 * without flooding the log (W26); nothing at all with --quiet.
 */
export interface Progress {
  start(total: number): void;
  advance(sent: number): void;
  finish(): void;
}

export interface ProgressOptions {
  mode: "bar" | "lines" | "none";
  stream?: NodeJS.WritableStream;
  /** Minimum time between two plain lines; injectable so tests need not wait. */
  lineIntervalMs?: number;
  now?: () => number;
}

const BAR_WIDTH = 30;

export function createProgress(options: ProgressOptions): Progress {
  if (options.mode === "none") return { start() {}, advance() {}, finish() {} };
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const interval = options.lineIntervalMs ?? 5000;
  let total = 0;
  let sent = 0;
  let lastLineAt = 0;
  let lastPrinted = -1;

  const percent = () => (total === 0 ? 100 : Math.floor((sent / total) * 100));

  const printLine = () => {
    if (lastPrinted === sent) return;
    lastPrinted = sent;
    lastLineAt = now();
    stream.write(`Uploaded ${sent}/${total} tests (${percent()}%)\n`);
  };

  const drawBar = () => {
    const filled = total === 0 ? BAR_WIDTH : Math.round((sent / total) * BAR_WIDTH);
    const bar = "\u2588".repeat(filled) + "\u2591".repeat(BAR_WIDTH - filled);
    stream.write(`\r\u001b[2KUploading: ${bar} ${percent()}% | ${sent}/${total} tests`);
  };

  return {
    start(newTotal) {
      total = newTotal;
      sent = 0;
      lastLineAt = now();
      if (options.mode === "bar") drawBar();
    },
    advance(count) {
      sent += count;
      if (options.mode === "bar") drawBar();
      else if (now() - lastLineAt >= interval) printLine();
    },
    finish() {
      if (options.mode === "bar") stream.write("\n");
      else printLine();
    },
  };
}
