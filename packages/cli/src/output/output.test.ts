import { describe, expect, it } from "vitest";
import { CapturedOutput } from "../test-support/context.js";
import { Logger, resolveAnsi } from "./logger.js";
import { createProgress } from "./progress.js";

describe("resolveAnsi", () => {
  it("follows the flag, then NO_COLOR, then TTY and CI", () => {
    expect(resolveAnsi(true, { NO_COLOR: "1" }, false)).toBe(true);
    expect(resolveAnsi(false, {}, true)).toBe(false);
    expect(resolveAnsi(undefined, { NO_COLOR: "1" }, true)).toBe(false);
    expect(resolveAnsi(undefined, { CI: "true" }, true)).toBe(false);
    expect(resolveAnsi(undefined, {}, true)).toBe(true);
    expect(resolveAnsi(undefined, {}, false)).toBe(false);
  });
});

describe("Logger", () => {
  it("keeps stdout for info and results, and sends debug to stderr", () => {
    const output = new CapturedOutput();
    const logger = new Logger({ ansi: false, debug: true, quiet: false, stdout: output.out, stderr: output.err });
    logger.info("info");
    logger.result("42");
    logger.debug("details");
    logger.warn("careful");
    expect(output.stdout).toBe("info\n42\n");
    expect(output.stderr).toBe("[debug] details\ncareful\n");
  });

  it("silences info with --quiet but never the result", () => {
    const output = new CapturedOutput();
    const logger = new Logger({ ansi: false, debug: false, quiet: true, stdout: output.out, stderr: output.err });
    logger.info("info");
    logger.result("42");
    expect(output.stdout).toBe("42\n");
  });
});

describe("progress lines", () => {
  it("prints at most one line per interval, and the final one", () => {
    const output = new CapturedOutput();
    let now = 0;
    const progress = createProgress({ mode: "lines", stream: output.err, lineIntervalMs: 5000, now: () => now });
    progress.start(4000);
    for (let i = 0; i < 4; i++) {
      now += 3000;
      progress.advance(1000);
    }
    progress.finish();
    expect(output.stderr).toBe("Uploaded 2000/4000 tests (50%)\nUploaded 4000/4000 tests (100%)\n");
  });

  it("draws a bar in place on a terminal", () => {
    const output = new CapturedOutput();
    const progress = createProgress({ mode: "bar", stream: output.err });
    progress.start(10);
    progress.advance(5);
    progress.finish();
    expect(output.stderr).toContain("50% | 5/10 tests");
    expect(output.stderr.endsWith("\n")).toBe(true);
  });
});
