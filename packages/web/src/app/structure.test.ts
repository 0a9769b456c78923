import { describe, expect, it } from "vitest";

/**
 * Rules of the web code that no type checker enforces, checked on the source files themselves
 * (`import.meta.glob` reads them as text at test time).
 */
const sources = import.meta.glob<string>(["../**/*.{ts,tsx}", "!../**/*.test.{ts,tsx}", "!../test-support/**"], {
  query: "?raw",
  import: "default",
  eager: true,
});
const files = Object.entries(sources).map(([file, text]) => ({ file: file.replace(/^\.\.\//, ""), text }));
const routeFiles = import.meta.glob("../pages/*/route.ts");

describe("web source rules", () => {
  it("sees the source files", () => {
    expect(files.map(({ file }) => file)).toContain("api/client.ts");
  });

  it("imports only types from @assay/api (its TypeBox runtime must stay out of the bundle)", () => {
    const offenders = files.filter(({ text }) => /^import (?!type )[^;]*from "@assay\/api"/m.test(text));
    expect(offenders.map(({ file }) => file)).toEqual([]);
  });

  it("never renders HTML from strings (test output, names and fields are untrusted)", () => {
    const offenders = files.filter(({ text }) =>
      /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write/.test(text),
    );
    expect(offenders.map(({ file }) => file)).toEqual([]);
  });

  it("calls fetch only in the API client", () => {
    const offenders = files.filter(({ file, text }) => /\bfetch\(/.test(text) && file !== "api/client.ts");
    expect(offenders.map(({ file }) => file)).toEqual([]);
  });

  it("sends files only through api/upload.ts (one place for progress, CSRF and the error contract)", () => {
    const offenders = files.filter(({ file, text }) => /\bXMLHttpRequest\b/.test(text) && file !== "api/upload.ts");
    expect(offenders.map(({ file }) => file)).toEqual([]);
  });

  it("has a route.ts in every page folder", () => {
    const pages = new Set(files.filter(({ file }) => file.startsWith("pages/")).map(({ file }) => file.split("/")[1]));
    pages.delete("not-found");
    const routed = new Set(Object.keys(routeFiles).map((file) => file.split("/")[2]));
    expect([...pages].filter((page) => !routed.has(page))).toEqual([]);
  });
});
