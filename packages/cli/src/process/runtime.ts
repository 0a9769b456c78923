import { setFlagsFromString } from "node:v8";

/**
 * Keeps V8's young generation at its starting size. Parsing a large report allocates short-lived
 * strings at a steady rate, and V8 answers that by doubling the semi-spaces up to 16 MB each
 * (48 MB of young generation), which is most of the CLI's peak RSS on a 500 MB file (100 MB
 * against 74 MB with this, for the same CPU time within noise: bench/cli-upload.bench.js).
 * `--max-semi-space-size` would be the usual knob, but V8 reads it only when the heap is set up,
 * before any of our code runs, while the growth factor is read at each scavenge.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString("--semi-space-growth-factor=1");
}

/**
 * A closed stdout or stderr (`assay … | head`) ends our output there instead of crashing the
 * CLI with an EPIPE stack trace; the upload and the exit code are unaffected.
 */
export function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
    });
  }
}
