import { describe, expect, it } from "vitest";
import {
  decodeReferences,
  parseNonNegativeInteger,
  parseSecondsToMicros,
  REFERENCE_MARK,
  readAttribute,
  toOfficialForm,
} from "./values.js";

describe("parseSecondsToMicros (cli.md §5.5 time rules)", () => {
  it.each([
    ["12,5", 12_500_000],
    [".5", 500_000],
    ["+3", 3_000_000],
    ["0.000001", 1],
    ["1.2345678", 1_234_568],
    ["  2  ", 2_000_000],
    ["0", 0],
    ["-0", 0],
  ])("%s gives %d µs", (raw, micros) => {
    expect(parseSecondsToMicros(raw)).toBe(micros);
  });

  it.each(["1e3", "abc", "-1", "1,234,5", "", "1.", "5s", "1 000", undefined])("%s is invalid", (raw) => {
    expect(parseSecondsToMicros(raw)).toBeUndefined();
  });
});

describe("parseNonNegativeInteger (line, assertions)", () => {
  it("keeps integers >= 0, including 0", () => {
    expect(parseNonNegativeInteger("0")).toBe(0);
    expect(parseNonNegativeInteger("42")).toBe(42);
    expect(parseNonNegativeInteger("007")).toBe(7);
  });

  it.each(["10.5", "x", "-1", "", undefined])("drops %s", (raw) => {
    expect(parseNonNegativeInteger(raw)).toBeUndefined();
  });
});

describe("numeric character references", () => {
  const marked = `n${REFERENCE_MARK}#65;me ${REFERENCE_MARK}#x1F600; &#66;`;

  it("decodes marked references for display and leaves escaped ones literal", () => {
    expect(decodeReferences(marked)).toBe("nAme 😀 &#66;");
  });

  it("writes every marked reference back literally for the hashed form", () => {
    expect(toOfficialForm(marked)).toBe("n&#65;me &#x1F600; &#66;");
  });

  it("leaves references to non-characters literal, as Testmo does", () => {
    expect(decodeReferences(`a${REFERENCE_MARK}#0;b${REFERENCE_MARK}#X41;`)).toBe("a&#0;b&#X41;");
  });

  it("trims attributes in both forms", () => {
    expect(readAttribute(`  ${REFERENCE_MARK}#32;x  `)).toEqual({ display: "x", official: "&#32;x" });
    expect(readAttribute(`${REFERENCE_MARK}#32;`)).toEqual({ display: "&#32;", official: "&#32;" });
  });
});
