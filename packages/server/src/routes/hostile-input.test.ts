import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../test-support/backends.js";
import { ApiClient, type ApiResponse } from "../test-support/http.js";
import { runServerCommand, startServerProcess, type TestServer } from "../test-support/server-process.js";

/**
 * "No input ever yields a 5xx": every operation of openapi.json, on every
 * backend, gets hostile path ids, query values and bodies (malformed JSON,
 * wrong types, out-of-range numbers, huge strings, every body property and
 * every property of array items broken in turn). Each answer must be a 2xx or
 * a 4xx with a JSON message, and the server must still be serving afterwards.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
};
type Operation = {
  operationId?: string;
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};

const BAD_IDS = ["abc", "0", "-1", "1.5", "99999999999999999999", "1e3", "%00", "9".repeat(400), "1;drop%20table"];
const BAD_QUERY_VALUES = [
  "",
  "-1",
  "abc",
  "99999999999999999999",
  "1,,2",
  "x'\"%_;",
  "a".repeat(5000),
  "%00",
  "a\u0000b",
];
// As raw JSON text, so numbers beyond every integer type reach the server unrounded.
const BAD_VALUES = [
  '"x"',
  "-1",
  "0",
  "1.5",
  "99999999999999999999",
  "1e308",
  "null",
  "true",
  "[]",
  "{}",
  "[null]",
  '[{"a":1}]',
  '"2024-13-45T99:99:99Z"',
  JSON.stringify("\u0000".repeat(10)),
  JSON.stringify("é".repeat(20_000)),
];
const BAD_BODIES = ["{", "[]", "null", '"text"', "{}", "1", '{"__proto__":{"x":1}}', "[".repeat(5000)];

/** Bodies with one property (or one property of an array's item) replaced by a bad value. */
function brokenBodies(schema: JsonSchema | undefined): string[] {
  const bodies: string[] = [];
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    for (const value of BAD_VALUES) bodies.push(`{${JSON.stringify(name)}:${value}}`);
    const itemProperties = property.items?.properties ?? {};
    for (const [itemName] of Object.entries(itemProperties)) {
      for (const value of BAD_VALUES) bodies.push(`{${JSON.stringify(name)}:[{${JSON.stringify(itemName)}:${value}}]}`);
    }
  }
  return bodies;
}

function pathWith(template: string, value: string): string {
  return template.replace(/^\/api\/v1/, "").replace(/\{[^}]+\}/g, value);
}

describe.each(BACKENDS)("hostile input on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let operations: { method: string; path: string; op: Operation }[];

  beforeAll(async () => {
    server = await startServerProcess({ backend, env: { ASSAY_RATE_LIMIT_REQUESTS: "1000000" } });
    api = new ApiClient(server.url, server.token);
    await runServerCommand(server, ["demo"]);
    const doc = (await api.get("/openapi.json")).body as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.operationId)
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  }, 60_000);
  afterAll(() => server?.stop());

  async function expectHandled(what: string, res: Promise<ApiResponse>, failures: string[]) {
    const { status, body, headers } = await res;
    const json = (headers.get("content-type") ?? "").includes("application/json");
    if (status >= 500) failures.push(`${what} → ${status} ${JSON.stringify(body).slice(0, 300)}`);
    else if (status >= 400 && !(json && typeof body?.message === "string" && body.message.length > 0)) {
      failures.push(`${what} → ${status} without a JSON message`);
    }
  }

  it("answers every operation's hostile path ids, query values and bodies without a 5xx", async () => {
    const failures: string[] = [];
    for (const { method, path, op } of operations) {
      const sample = pathWith(path, "1");
      if (path.includes("{")) {
        for (const id of BAD_IDS) {
          const target = pathWith(path, id);
          const body = method === "GET" ? {} : { rawBody: "{}" };
          await expectHandled(`${method} ${target}`, api.request(method, target, body), failures);
        }
      }
      for (const param of (op.parameters ?? []).filter((p) => p.in === "query")) {
        for (const value of BAD_QUERY_VALUES) {
          const target = `${sample}?${param.name}=${encodeURIComponent(value)}`;
          await expectHandled(`${method} ${target.slice(0, 120)}`, api.request(method, target), failures);
        }
      }
      if (method === "GET") continue;
      const content = op.requestBody?.content ?? {};
      if (content["multipart/form-data"]) {
        for (const body of ["{}", "--x\r\nnot multipart"]) {
          const headers = { "content-type": "multipart/form-data; boundary=x" };
          await expectHandled(
            `${method} ${sample} multipart`,
            api.request(method, sample, { rawBody: body, headers }),
            failures,
          );
        }
        continue;
      }
      for (const body of [...BAD_BODIES, ...brokenBodies(content["application/json"]?.schema)]) {
        await expectHandled(
          `${method} ${sample} ${body.slice(0, 80)}`,
          api.request(method, sample, { rawBody: body }),
          failures,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(operations.length).toBeGreaterThanOrEqual(45);
    // The process survived all of it and still answers (with a new token: `DELETE /x/me/tokens/1` above revoked
    // the test's own token, id 1, as it should).
    const fresh = await runServerCommand(server, ["token", "create", "--email", "admin@localhost", "--name", "after"]);
    expect((await api.get("/user", { token: fresh.trim() })).status).toBe(200);
  }, 300_000);
});
