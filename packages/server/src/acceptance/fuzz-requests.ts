/**
 * Request generator for the API fuzz test (fuzz.test.ts): from the operations
 * of the live /api/v1/openapi.json, seeded and therefore reproducible, it makes
 * requests with mutated path ids, query values, bodies, methods and tokens.
 */

export type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

export interface Operation {
  method: string;
  path: string;
  parameters: { in: string; name: string; schema?: JsonSchema }[];
  bodySchema: JsonSchema | null;
  multipart: boolean;
}

export type TokenKind = "admin" | "none" | "bad" | "read-only";

export interface FuzzRequest {
  method: string;
  /** the path and query string under /api/v1 */
  url: string;
  headers: Record<string, string>;
  body?: string;
  token: TokenKind;
  /** what was mutated, for the failure report */
  note: string;
}

type OpenApiOperation = {
  operationId?: string;
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};

/** The documented operations, in document order. */
export function operationsOf(doc: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op.operationId)
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path: path.replace(/^\/api\/v1/, ""),
        parameters: op.parameters ?? [],
        bodySchema: op.requestBody?.content?.["application/json"]?.schema ?? null,
        multipart: Boolean(op.requestBody?.content?.["multipart/form-data"]),
      })),
  );
}

/** mulberry32: small, fast and good enough to pick test inputs. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

const HOSTILE_IDS = [
  "0",
  "-1",
  "2147483647",
  "2147483648",
  "99999999999999999999",
  "1.5",
  "1e3",
  "%2B1",
  "abc",
  "a".repeat(200),
  "9".repeat(200),
  "%C3%A9t%C3%A9",
  "%E2%82%AC",
  "%F0%9F%92%A5",
  "%00",
  "%20",
  "%zz",
  "%FF%FE",
  "%",
  "1%3Bdrop%20table",
];

const DATES = [
  "2024-01-01T00:00:00Z",
  "2024-01-01T23:59:60Z",
  "2016-12-31T23:59:60.999Z",
  "2024-01-02T00:59:60+01:00",
  "9999-12-31T23:59:59-23:59",
  "9999-12-31T23:59:59+23:59",
  "0000-01-01T00:00:00+00:01",
  "0000-01-01T00:00:00-23:59",
  "2024-02-30T00:00:00Z",
  "2024-01-01T24:00:00Z",
  "2024-01-01T00:00:00+01",
  "2024-01-01t00:00:00z",
  "2024-01-01 00:00:00Z",
  "2024-01-01T00:00:00.123456789Z",
  "2024-01-01T00:00:00",
  "2024-01-01",
  "-2024-01-01T00:00:00Z",
  "+102024-01-01T00:00:00Z",
];

function hostileQueryValues(random: Random): string[] {
  const many = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join(",");
  return [
    "",
    ",",
    ",,,",
    " , ",
    "-1",
    "0",
    "abc",
    "true",
    "[]",
    "{}",
    "null",
    "1,,2",
    "99999999999999999999",
    "2147483648",
    "1.5",
    "x'\"%_;\\",
    "a".repeat(random.pick([751, 5000, 17_000])),
    many(random.pick([5, 999, 1000, 1001, 3000]), (i) => String(i + 1)),
    many(random.pick([998, 1001, 2000]), (i) => `tag${i}`),
    "a\u0000b",
    "\u0000",
    "é€💥",
    "\uFFFD",
    random.pick(DATES),
  ];
}

/** A value the schema accepts (as far as a simple generator can tell). */
export function validValue(schema: JsonSchema | undefined, random: Random, depth = 0): unknown {
  if (!schema) return "x";
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return random.pick(schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return validValue(random.pick(variants), random, depth);
  const type = Array.isArray(schema.type) ? random.pick(schema.type) : schema.type;
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return random.chance(0.5);
    case "integer":
    case "number": {
      const min = schema.minimum ?? 0;
      const max = Math.min(schema.maximum ?? 100, min + 100);
      return random.int(Math.ceil(min), Math.floor(Math.max(min, max)));
    }
    case "array": {
      if (depth > 4) return [];
      const min = schema.minItems ?? 0;
      const count = random.int(min, Math.min(schema.maxItems ?? 3, min + 3));
      return Array.from({ length: count }, () => validValue(schema.items, random, depth + 1));
    }
    case "object":
      return validObject(schema, random, depth);
    default:
      return validString(schema, random);
  }
}

function validObject(schema: JsonSchema, random: Random, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (depth > 4) return result;
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (required.has(name) || random.chance(0.5)) result[name] = validValue(property, random, depth + 1);
  }
  return result;
}

function validString(schema: JsonSchema, random: Random): string {
  if (schema.format === "date-time") return random.pick(DATES.slice(0, 4));
  if (schema.format === "date") return "2024-05-01";
  if (schema.format === "id-list") return random.pick(["1", "1,2", "2,3,4"]);
  if (schema.format === "email") return `fuzz${random.int(1, 1e6)}@example.com`;
  if (schema.format === "uri") return "https://example.com/x";
  const min = schema.minLength ?? 1;
  const length = random.int(min, Math.min(schema.maxLength ?? 12, min + 12));
  return Array.from({ length }, () => random.pick([..."abcdefghijklmnopqrstuvwxyz0123456789"])).join("");
}

/** A value of a different JSON type than `value`. */
function wrongType(value: unknown, random: Random): unknown {
  const options: unknown[] = ["x", -1, 1.5, 2 ** 63, true, null, [], {}, [null], { a: [1] }, "\u0000"];
  return random.pick(options.filter((o) => typeof o !== typeof value || Array.isArray(o) !== Array.isArray(value)));
}

/** Replaces one randomly chosen node of `root` (an object or array) using `replace`. */
function mutateNode(root: unknown, random: Random, replace: (old: unknown) => unknown): unknown {
  if (root === null || typeof root !== "object") return replace(root);
  const keys = Array.isArray(root) ? root.map((_, i) => i) : Object.keys(root);
  if (keys.length === 0 || random.chance(0.25)) return replace(root);
  const key = random.pick(keys as (string | number)[]);
  const copy = (Array.isArray(root) ? [...root] : { ...root }) as Record<string | number, unknown>;
  copy[key] = mutateNode(copy[key], random, replace);
  return copy;
}

function deepNesting(depth: number, random: Random): string {
  return random.chance(0.5)
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** A body for `op`: valid, or broken in one of many ways; `note` says which. */
function makeBody(op: Operation, random: Random): { body?: string; contentType?: string; note: string } {
  const valid = validValue(op.bodySchema ?? { type: "object" }, random);
  const json = (value: unknown, note: string) => ({
    body: JSON.stringify(value),
    contentType: "application/json",
    note,
  });
  const kind = random.int(0, 13);
  switch (kind) {
    case 0:
    case 1:
      return json(valid, "valid body");
    case 2: {
      const required = op.bodySchema?.required ?? [];
      if (required.length === 0 || typeof valid !== "object" || valid === null) return json({}, "empty object");
      const copy = { ...(valid as Record<string, unknown>) };
      const missing = random.pick(required);
      delete copy[missing];
      return json(copy, `missing ${missing}`);
    }
    case 3:
      return json(
        mutateNode(valid, random, (old) => wrongType(old, random)),
        "wrong type",
      );
    case 4:
      return json(
        typeof valid === "object" && valid !== null && !Array.isArray(valid)
          ? {
              ...valid,
              [random.pick(["extra", "__proto__", "constructor", "id", "x".repeat(300)])]: random.pick([1, "x", {}]),
            }
          : valid,
        "extra key",
      );
    case 5:
      return json(
        mutateNode(valid, random, () =>
          random.pick(["é", "x", "\u0000"]).repeat(random.pick([751, 20_000, 1_100_000])),
        ),
        "huge string",
      );
    case 6:
      return {
        body: deepNesting(random.pick([100, 5000, 50_000]), random),
        contentType: "application/json",
        note: "deep nesting",
      };
    case 7:
      return {
        body: JSON.stringify(valid),
        contentType: random.pick([
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data",
          "application/json; charset=latin1",
          "",
          "application/jsonx",
        ]),
        note: "wrong content-type",
      };
    case 8:
      return { body: "", contentType: "application/json", note: "empty body" };
    case 9: {
      const text = JSON.stringify(valid);
      return {
        body: text.slice(0, random.int(0, Math.max(0, text.length - 1))) || "{",
        contentType: "application/json",
        note: "invalid JSON",
      };
    }
    case 10:
      return {
        body: random.pick(["null", "[]", '"text"', "1", "true", "{}{}", "\uFEFF{}", '{"a":1,}']),
        contentType: "application/json",
        note: "odd JSON",
      };
    case 11:
      return json(
        mutateNode(valid, random, () =>
          random.pick([
            -1,
            0,
            2 ** 31,
            2 ** 53,
            1e308,
            -1e308,
            0.5,
            "2024-01-01T23:59:60Z",
            "9999-12-31T23:59:59-23:59",
          ]),
        ),
        "edge number or date",
      );
    case 12:
      return { contentType: undefined, note: "no body" };
    default:
      return json([valid, valid], "array instead of object");
  }
}

function fillPath(op: Operation, random: Random): { path: string; note: string } {
  const notes: string[] = [];
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (random.chance(0.6)) return String(random.int(1, 6));
    const value = random.pick(HOSTILE_IDS);
    notes.push(`${name}=${value.slice(0, 20)}`);
    return value;
  });
  return { path, note: notes.length ? `path ${notes.join(" ")}` : "" };
}

function queryString(op: Operation, random: Random): { query: string; note: string } {
  const parts: string[] = [];
  const notes: string[] = [];
  for (const param of op.parameters.filter((p) => p.in === "query")) {
    if (!random.chance(0.35)) continue;
    let value: string;
    if (random.chance(0.5)) {
      value = String(validValue(param.schema, random));
    } else {
      value = random.pick(hostileQueryValues(random));
      notes.push(`${param.name}=${value.slice(0, 30)}${value.length > 30 ? `…(${value.length})` : ""}`);
    }
    parts.push(`${encodeURIComponent(param.name)}=${encodeURIComponent(value)}`);
  }
  if (random.chance(0.05))
    parts.push(random.pick(["page=0", "per_page=7", "sort=x", "expands=,", "expands=nope", "a[b]=1", "%zz=1"]));
  return { query: parts.length ? `?${parts.join("&")}` : "", note: notes.length ? `query ${notes.join(" ")}` : "" };
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/** The `index`-th request of a run: depends only on the generator's state, so a seed reproduces a run. */
export function makeRequest(operations: readonly Operation[], random: Random): FuzzRequest {
  const op = random.pick(operations);
  const method = random.chance(0.08) ? random.pick(METHODS) : op.method;
  const { path, note: pathNote } = fillPath(op, random);
  const { query, note: queryNote } = queryString(op, random);
  const token: TokenKind = random.chance(0.8) ? "admin" : random.pick(["none", "bad", "read-only"] as const);
  const headers: Record<string, string> = {};
  const notes = [pathNote, queryNote, method !== op.method ? `method ${method} on ${op.method}` : ""];
  let body: string | undefined;
  if (method !== "GET" && method !== "HEAD") {
    if (op.multipart) {
      headers["content-type"] = random.pick([
        "multipart/form-data; boundary=x",
        "multipart/form-data",
        "application/json",
      ]);
      body = random.pick([
        "",
        "{}",
        "--x\r\nnot multipart",
        '--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhi\r\n--x--\r\n',
      ]);
      notes.push("multipart");
    } else if (op.method !== "GET" || random.chance(0.3)) {
      const made = makeBody(op, random);
      body = made.body;
      if (made.contentType !== undefined) headers["content-type"] = made.contentType;
      notes.push(made.note);
    }
  }
  if (random.chance(0.05))
    headers["idempotency-key"] = random.pick(["fuzz-1", "has space", "x".repeat(300), `k${random.int(1, 1e9)}`]);
  return { method, url: `${path}${query}`, headers, body, token, note: notes.filter(Boolean).join("; ") };
}
