import { describe, expect, it } from "vitest";
import { color256, nearestColor, parseAnsi, stripAnsi } from "./ansi";

const E = "\u001b";

describe("parseAnsi", () => {
  it("leaves plain text alone, as one segment", () => {
    expect(parseAnsi("hello\n\tworld")).toEqual([{ text: "hello\n\tworld", className: "" }]);
    expect(parseAnsi("")).toEqual([]);
  });

  it("turns SGR colours and attributes into classes, and resets them", () => {
    expect(parseAnsi(`a${E}[31mred${E}[0m b ${E}[1;32mbold green${E}[22m green${E}[39m plain`)).toEqual([
      { text: "a", className: "" },
      { text: "red", className: "ansi-fg-1" },
      { text: " b ", className: "" },
      { text: "bold green", className: "ansi-fg-2 ansi-bold" },
      { text: " green", className: "ansi-fg-2" },
      { text: " plain", className: "" },
    ]);
  });

  it("knows bright colours, backgrounds, and every attribute with its reset", () => {
    expect(parseAnsi(`${E}[91;104mx${E}[49my${E}[m`)).toEqual([
      { text: "x", className: "ansi-fg-9 ansi-bg-12" },
      { text: "y", className: "ansi-fg-9" },
    ]);
    expect(parseAnsi(`${E}[2;3;4;7;9mz${E}[23;24;27;29mw`)).toEqual([
      { text: "z", className: "ansi-dim ansi-italic ansi-underline ansi-strike ansi-inverse" },
      { text: "w", className: "ansi-dim" },
    ]);
  });

  it("maps 256-colour and true-colour codes to the nearest of the 16", () => {
    expect(parseAnsi(`${E}[38;5;196mred${E}[48;5;21mon blue`)).toEqual([
      { text: "red", className: "ansi-fg-9" },
      { text: "on blue", className: "ansi-fg-9 ansi-bg-4" },
    ]);
    expect(parseAnsi(`${E}[38;2;0;200;0mgreen`)).toEqual([{ text: "green", className: "ansi-fg-2" }]);
    expect(parseAnsi(`${E}[38:5:3mcolon form`)).toEqual([{ text: "colon form", className: "ansi-fg-3" }]);
    // an incomplete extended colour is ignored, with what follows it
    expect(parseAnsi(`${E}[38;5mx`)).toEqual([{ text: "x", className: "" }]);
    expect(color256(7)).toBe(7);
    expect(color256(232)).toBe(0);
    expect(color256(255)).toBe(7);
    expect(color256(231)).toBe(15);
    expect(color256(300)).toBeNull();
    expect(nearestColor(250, 250, 250)).toBe(15);
  });

  it("merges neighbours of the same style", () => {
    expect(parseAnsi(`${E}[31ma${E}[31mb${E}[0m${E}[0mc`)).toEqual([
      { text: "ab", className: "ansi-fg-1" },
      { text: "c", className: "" },
    ]);
  });

  it("removes other CSI sequences, OSC sequences (keeping hyperlink text), and other escapes", () => {
    expect(parseAnsi(`${E}[2K${E}[1Gline${E}[?25l${E}[3A!`)).toEqual([{ text: "line!", className: "" }]);
    expect(parseAnsi(`${E}]0;window title\u0007after`)).toEqual([{ text: "after", className: "" }]);
    expect(parseAnsi(`${E}]8;;https://example.com${E}\\link${E}]8;;${E}\\ done`)).toEqual([
      { text: "link done", className: "" },
    ]);
    expect(parseAnsi(`${E}(Bx${E}7y`)).toEqual([{ text: "xy", className: "" }]);
    expect(parseAnsi("\u009b31mred")).toEqual([{ text: "red", className: "ansi-fg-1" }]);
  });

  it("drops unfinished sequences at the end and control characters, keeping tabs and newlines", () => {
    expect(parseAnsi(`ok${E}[31`)).toEqual([{ text: "ok", className: "" }]);
    expect(parseAnsi(`ok${E}`)).toEqual([{ text: "ok", className: "" }]);
    expect(parseAnsi(`${E}]unterminated title`)).toEqual([]);
    expect(parseAnsi("a\r\nb\rc\u0000d\u0007e\bf\tg")).toEqual([{ text: "a\nbcdef\tg", className: "" }]);
  });

  it("keeps markup as text: nothing is interpreted", () => {
    const hostile = `${E}[31m<img src=x onerror=alert(1)><script>alert(2)</script>${E}[0m&amp;`;
    expect(parseAnsi(hostile)).toEqual([
      { text: "<img src=x onerror=alert(1)><script>alert(2)</script>", className: "ansi-fg-1" },
      { text: "&amp;", className: "" },
    ]);
  });

  it("strips escapes for plain text", () => {
    expect(stripAnsi(`${E}[1;31mFAIL${E}[0m test ${E}[2mfoo${E}[22m`)).toBe("FAIL test foo");
  });

  it("handles long output with many sequences", () => {
    const long = `${E}[31mx${E}[32my`.repeat(20_000) + "[".repeat(50_000);
    const segments = parseAnsi(long);
    expect(segments).toHaveLength(40_000);
    expect(segments.at(-1)).toEqual({ text: `y${"[".repeat(50_000)}`, className: "ansi-fg-2" });
  });
});
