import { describe, expect, it } from "vitest";
import { classifyProperty, type RawProperty } from "./properties.js";

const single = (name: string, value: string): RawProperty => ({ source: "property", name, value, multiLine: false });
const multi = (name: string, value: string): RawProperty => ({ source: "property", name, value, multiLine: true });

describe("classifyProperty (cli.md §5.7)", () => {
  it("treats any name starting with attachment (any case) as an attachment", () => {
    for (const name of ["attachment", "attachment2", "Attachments", "ATTACHMENT-x"]) {
      expect(classifyProperty(single(name, "a.png"))).toEqual({
        kind: "attachment",
        attachment: { source: "property", name, value: "a.png" },
      });
    }
  });

  it("turns step names into steps, with a status only for step<digits>[status]", () => {
    expect(classifyProperty(single("step[passed]", "Open"))).toEqual({
      kind: "step",
      step: { source: "property", content: "Open", status: "passed" },
    });
    expect(classifyProperty(single("Step2[failed]", "Check"))).toMatchObject({ step: { status: "failed" } });
    expect(classifyProperty(single("steps[passed]", "x"))).toEqual({
      kind: "step",
      step: { source: "property", content: "x" },
    });
    // Testmo's loose match, kept on purpose (W23)
    expect(classifyProperty(single("stepCount", "3")).kind).toBe("step");
  });

  it("types fields by prefix, else string for single-line and text for multi-line values", () => {
    const field = (property: RawProperty) => {
      const classified = classifyProperty(property);
      return classified.kind === "field" ? [classified.field.type, classified.field.name] : classified.kind;
    };
    expect(field(single("string:Build", "1"))).toEqual(["string", "Build"]);
    expect(field(multi("console:Log", "x"))).toEqual(["console", "Log"]);
    expect(field(single("html:Doc", "<b>x</b>"))).toEqual(["html", "Doc"]);
    expect(field(single("text:Notes", "x"))).toEqual(["text", "Notes"]);
    expect(field(single("url:Report", "https://ci/1"))).toEqual(["url", "Report"]);
    expect(field(single("Plain", "x"))).toEqual(["string", "Plain"]);
    expect(field(multi("Plain", "x\ny"))).toEqual(["text", "Plain"]);
    expect(field(single("String:Build", "1"))).toEqual(["string", "String:Build"]);
  });

  it("sends url: fields with http values as strings, like Testmo (W16 kept)", () => {
    expect(classifyProperty(single("url:Link", "http://ci/1"))).toMatchObject({
      field: { type: "string", name: "Link" },
    });
  });

  it("refuses a prefix with no name after it", () => {
    expect(classifyProperty(single("string:", "x")).kind).toBe("invalid");
  });
});
