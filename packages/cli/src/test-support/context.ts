import { Writable } from "node:stream";
import type { CreateAutomationTest } from "@assay/api";
import type { CommandContext } from "../commands/context.js";
import type { ParsedTest, ResultParser } from "../commands/results.js";
import { Logger } from "../output/logger.js";
import type { RetryPolicy } from "../upload/retry.js";

/** Collects what a command prints, for assertions. */
export class CapturedOutput {
  stdout = "";
  stderr = "";
  readonly out = writable((text) => {
    this.stdout += text;
  });
  readonly err = writable((text) => {
    this.stderr += text;
  });
}

function writable(onText: (text: string) => void): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      onText(chunk.toString("utf8"));
      done();
    },
  });
}

/** Retries without waiting: every sleep is recorded and resolves at once. */
export function instantPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    maxRetries: 3,
    maxRateLimitWaits: 10,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    defaultRetryAfterMs: 60_000,
    scale: 1,
    requestTimeoutMs: 5000,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    sleeps,
    ...overrides,
  };
}

/** A parser over in-memory "files": file name → tests (or an Error to throw mid-file). */
export function fakeParser(files: Record<string, ParsedTest[] | Error>): ResultParser {
  return {
    async whyNotResultFile(path) {
      return Object.keys(files).some((name) => path.endsWith(name)) ? undefined : "not JUnit XML";
    },
    parseFile(path) {
      const entry = Object.entries(files).find(([name]) => path.endsWith(name))?.[1] ?? [];
      let elapsed = 0;
      return {
        tests: (async function* () {
          if (entry instanceof Error) throw entry;
          for (const test of entry) {
            elapsed += test.elapsed ?? 0;
            yield structuredClone(test);
          }
        })(),
        elapsedMicros: () => elapsed,
      };
    },
    toWireTest(test): CreateAutomationTest {
      return { key: test.key, name: test.name, status: test.status, folder: test.folder ?? "Unnamed folder" };
    },
  };
}

export function parsedTest(name: string, status = "passed", elapsed = 1000): ParsedTest {
  return { key: `k${name}`, name, status, folder: "suite", elapsed, attachments: [], fields: [], steps: [] };
}

export function testContext(
  output: CapturedOutput,
  overrides: Partial<CommandContext> = {},
): CommandContext & { policy: ReturnType<typeof instantPolicy> } {
  return {
    env: { ASSAY_TOKEN: "secret-token" },
    cwd: process.cwd(),
    logger: new Logger({ ansi: false, debug: false, quiet: false, stdout: output.out, stderr: output.err }),
    parser: fakeParser({}),
    userAgent: "Assay CLI/test",
    progressMode: "none",
    stdin: process.stdin,
    ...overrides,
    policy: (overrides.policy as ReturnType<typeof instantPolicy>) ?? instantPolicy(),
  };
}
