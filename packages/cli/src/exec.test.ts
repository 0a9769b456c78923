import { describe, expect, it } from "vitest";
import { BoundedCapture, outputFieldValue, runChildCommand } from "./exec.js";
import { CapturedOutput } from "./test-support/context.js";

describe("runChildCommand", () => {
  it("tees and captures output and passes the exit code through", async () => {
    const output = new CapturedOutput();
    const result = await runChildCommand(
      [process.execPath, "-e", "console.log('out'); console.error('err'); process.exit(3)"],
      { suppressStdout: false, stdout: output.out, stderr: output.err },
    );
    expect(result.exitCode).toBe(3);
    expect(output.stdout).toBe("out\n");
    expect(output.stderr).toBe("err\n");
    expect(result.output).toContain("out\n");
    expect(result.output).toContain("err\n");
    expect(result.elapsedMicros).toBeGreaterThan(0);
  });

  it("suppresses only stdout with --exec-suppress", async () => {
    const output = new CapturedOutput();
    const result = await runChildCommand([process.execPath, "-e", "console.log('out'); console.error('err')"], {
      suppressStdout: true,
      stdout: output.out,
      stderr: output.err,
    });
    expect(output.stdout).toBe("");
    expect(output.stderr).toBe("err\n");
    expect(result.output).toContain("out");
  });

  it("reports a child killed by a signal as 128 + signal number (not 0 as Testmo)", async () => {
    const result = await runChildCommand([process.execPath, "-e", "process.kill(process.pid, 'SIGKILL')"], {
      suppressStdout: true,
      stdout: new CapturedOutput().out,
      stderr: new CapturedOutput().err,
    });
    expect(result.exitCode).toBe(137);
    expect(result.signal).toBe("SIGKILL");
    expect(outputFieldValue(result)).toMatch(/with exit code 137 \(killed by SIGKILL\)$/);
  });

  it("fails with Testmo's message when the program does not exist", async () => {
    await expect(runChildCommand(["assay-no-such-program"], { suppressStdout: true })).rejects.toThrow(
      "Failed to start process: spawn assay-no-such-program ENOENT",
    );
  });
});

describe("BoundedCapture", () => {
  it("keeps everything while small", () => {
    const capture = new BoundedCapture();
    capture.add("a");
    capture.add("b");
    expect(capture.toString()).toBe("ab");
  });

  it("keeps a head and a tail of a huge output", () => {
    const capture = new BoundedCapture();
    capture.add("H".repeat(20_000));
    for (let i = 0; i < 1000; i++) capture.add("x".repeat(1000));
    capture.add("THE END");
    const text = capture.toString();
    expect(text.length).toBeLessThan(40_000);
    expect(text.startsWith("H".repeat(16_384))).toBe(true);
    expect(text.endsWith("THE END")).toBe(true);
  });
});

describe("outputFieldValue", () => {
  it("is worded as Testmo's Output field and middle-truncated to 16 379 characters", () => {
    const base = { command: ["npm", "test"], exitCode: 0, elapsedMicros: 1_500_000 };
    expect(outputFieldValue({ ...base, output: "  ok \n" })).toBe(
      "Executing: npm test\n\nok\n\nExited after 1.5 seconds with exit code 0",
    );
    const long = outputFieldValue({ ...base, output: "y".repeat(40_000) });
    expect(long).toHaveLength(16_379);
    expect(long).toContain("...\n\n[...]\n\n...");
  });
});
