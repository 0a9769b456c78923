import { describe, expect, it } from "vitest";
import type { JUnitTest } from "./types.js";
import { elideMiddle, hashTestKey, toWireTest } from "./wire.js";

function test(overrides: Partial<JUnitTest> = {}): JUnitTest {
  return {
    key: "com.a.Foo.passes",
    name: "passes",
    status: "passed",
    attachments: [],
    fields: [],
    steps: [],
    ...overrides,
  };
}

describe("hashTestKey", () => {
  it("matches the key Testmo sends for com.a.Foo.passes (cli.md §5.5)", () => {
    const key = hashTestKey("com.a.Foo.passes");
    expect(key).toMatch(/^4741784a[0-9a-f]{50}532394$/);
  });
});

describe("toWireTest (cli.md §5.9, §7)", () => {
  it("emits Testmo's key order with the Unnamed folder fallback", () => {
    const wire = toWireTest(test({ key: "solo", elapsed: 5, file: "a.ts", line: 3, assertions: 0 }));
    expect(Object.keys(wire)).toEqual([
      "key",
      "name",
      "status",
      "folder",
      "artifacts",
      "fields",
      "elapsed",
      "file",
      "line",
      "assertions",
    ]);
    expect(wire.folder).toBe("Unnamed folder");
    expect(wire.key).toBe(hashTestKey("solo"));
  });

  it("hashes the full key and cuts names, folders, files and statuses to 750 units", () => {
    const long = "x".repeat(2000);
    const wire = toWireTest(test({ key: long, name: long, folder: long, file: long, status: long }));
    expect(wire.key).toBe(hashTestKey(long));
    for (const value of [wire.name, wire.folder, wire.file, wire.status]) expect(value).toHaveLength(750);
  });

  it("elides text and console values in the middle to 16379 units, and hard-cuts html at 16384", () => {
    const value = "a".repeat(10_000) + "b".repeat(10_000);
    const wire = toWireTest(
      test({
        fields: [
          { source: "failure", type: "console", name: "Failure", value, isHighlight: true, meta: {} },
          { source: "property", type: "html", name: "H", value, isHighlight: false },
          { source: "property", type: "string", name: "S", value, isHighlight: false },
        ],
      }),
    );
    const [consoleField, htmlField, stringField] = wire.fields!;
    expect(consoleField!.value).toHaveLength(16_379);
    expect(consoleField!.value).toBe(`${"a".repeat(8182)}...\n\n[...]\n\n...${"b".repeat(8182)}`);
    expect(htmlField!.value).toHaveLength(16_384);
    expect(stringField!.value).toHaveLength(750);
    expect(elideMiddle("short")).toBe("short");
  });

  it("orders fields: attachment strings, parsed fields (first 24), then Steps", () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({
      source: "property",
      type: "string" as const,
      name: `p${i}`,
      value: "v",
      isHighlight: false,
    }));
    const wire = toWireTest(
      test({
        attachments: [{ source: "system-out", name: "attachment", value: "local/a.png" }],
        fields,
        steps: [{ source: "property", content: "one" }],
      }),
    );
    const names = wire.fields!.map((f) => f.name);
    expect(names[0]).toBe("attachment");
    expect(names.slice(1, 25)).toEqual(fields.slice(0, 24).map((f) => f.name));
    expect(names[25]).toBe("Steps");
    expect(names).toHaveLength(26);
  });

  it("keeps 24 attachments and 99 steps (Testmo's caps, W18 kept)", () => {
    const attachments = Array.from({ length: 30 }, (_, i) => ({
      source: "property",
      name: `attachment${i}`,
      value: `https://cdn.example.com/run/${i}.png`,
    }));
    const steps = Array.from({ length: 120 }, (_, i) => ({ source: "property", content: `s${i}` }));
    const wire = toWireTest(test({ attachments, steps }));
    expect(wire.artifacts).toHaveLength(24);
    expect(wire.fields![0]!.value!.match(/<test-step>/g)).toHaveLength(99);
  });

  it("makes https attachments artifacts named after their last segment, others string fields", () => {
    const wire = toWireTest(
      test({
        attachments: [
          { source: "property", name: "attachment", value: "https://cdn.x/a/Shot.PNG" },
          { source: "property", name: "attachment2", value: "https://cdn.x/dir/" },
          { source: "property", name: "attachment3", value: "https://cdn.x/trace.bin" },
          { source: "property", name: "attachment4", value: "http://cdn.x/plain.png" },
        ],
      }),
    );
    expect(wire.artifacts).toEqual([
      { name: "Shot.PNG", url: "https://cdn.x/a/Shot.PNG", mime_type: "image/png" },
      { name: "attachment2", url: "https://cdn.x/dir/" },
      { name: "trace.bin", url: "https://cdn.x/trace.bin" },
    ]);
    expect(wire.fields).toEqual([{ type: 1, name: "attachment4", value: "http://cdn.x/plain.png" }]);
  });

  it("shapes status, property and steps fields like Testmo, escaping step content (W19 fixed)", () => {
    const wire = toWireTest(
      test({
        fields: [
          { source: "failure", type: "console", name: "Failure", value: "v", isHighlight: true, meta: { type: "T" } },
          { source: "property", type: "url", name: "Link", value: "https://x", isHighlight: false },
        ],
        steps: [
          { source: "property", content: "Click <b> & go", status: "passed" },
          { source: "property", content: "Plain" },
        ],
      }),
    );
    expect(wire.fields).toEqual([
      { type: 4, name: "Failure", meta: { type: "T" }, value: "v", is_highlight: true },
      { type: 5, name: "Link", value: "https://x", is_highlight: false },
      {
        type: 3,
        name: "Steps",
        value:
          '<test-steps><test-step status="passed">Click &lt;b&gt; &amp; go</test-step>\n<test-step>Plain</test-step>\n</test-steps>',
        is_highlight: false,
      },
    ]);
    expect(Object.keys(wire.fields![0]!)).toEqual(["type", "name", "meta", "value", "is_highlight"]);
  });

  it("hashes a key changed by a rewriter", () => {
    const rewritten = test();
    rewritten.key = "custom";
    rewritten.status = "blocked";
    expect(toWireTest(rewritten)).toMatchObject({ key: hashTestKey("custom"), status: "blocked" });
  });
});
