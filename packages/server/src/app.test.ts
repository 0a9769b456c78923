import { describe, expect, it } from "vitest";
import { replaceEscapedNuls } from "./app.js";

describe("replaceEscapedNuls: NULs that PostgreSQL text cannot hold", () => {
  const parsed = (json: string) => JSON.parse(replaceEscapedNuls(json));

  it("turns every \\u0000 escape into U+FFFD", () => {
    expect(parsed('{"output":"a\\u0000b\\u0000"}')).toEqual({ output: "a\uFFFDb\uFFFD" });
    expect(parsed('["\\\\\\u0000"]')).toEqual(["\\\uFFFD"]);
  });

  it("leaves an escaped backslash followed by the text u0000 alone, and bodies without NUL untouched", () => {
    expect(parsed('["\\\\u0000"]')).toEqual(["\\u0000"]);
    const plain = '{"name":"x","n":1}';
    expect(replaceEscapedNuls(plain)).toBe(plain);
  });
});
