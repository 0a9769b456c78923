import { describe, expect, it } from "vitest";
import { scanOutput } from "./output-markers.js";

describe("scanOutput (cli.md §5.7 output markers)", () => {
  it("keeps plain output trimmed, with CR and CRLF turned into LF", () => {
    expect(scanOutput("  a\r\nb\rc\n  ", "system-out").text).toBe("a\nb\nc");
  });

  it("takes attachment lines out, with leading whitespace and trailing text ignored", () => {
    const scanned = scanOutput("x\n   [[ATTACHMENT| shots/a.png ]] ignored\ny", "system-out");
    expect(scanned.text).toBe("x\ny");
    expect(scanned.attachments).toEqual([{ source: "system-out", name: "attachment", value: "shots/a.png" }]);
  });

  it("reads single-line properties up to the first =, only at the end of the line", () => {
    const scanned = scanOutput("[[PROPERTY| a = b=c ]]\n[[PROPERTY|x=y]] trailing", "system-err");
    expect(scanned.properties).toEqual([{ source: "system-err", name: "a", value: "b=c", multiLine: false }]);
    expect(scanned.text).toBe("[[PROPERTY|x=y]] trailing");
  });

  it("reads multi-line blocks up to the line holding [[/PROPERTY]], dropping empty ones", () => {
    const scanned = scanOutput(
      "[[PROPERTY|step[passed]]]\n  Open page  \nthen [[/PROPERTY]] gone\n[[PROPERTY|empty]]\n\n[[/PROPERTY]]\nend",
      "system-out",
    );
    expect(scanned.properties).toEqual([
      { source: "system-out", name: "step[passed]", value: "Open page", multiLine: true },
    ]);
    expect(scanned.text).toBe("end");
  });

  it("lets an unterminated block swallow the rest of the output and reports it", () => {
    const scanned = scanOutput("before\n[[PROPERTY|notes]]\nline 1\nline 2", "system-out");
    expect(scanned.text).toBe("before");
    expect(scanned.properties).toEqual([]);
    expect(scanned.unterminatedBlock).toBe("notes");
  });
});
