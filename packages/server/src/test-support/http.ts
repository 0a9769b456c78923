// biome-ignore-all lint/suspicious/noExplicitAny: e2e tests read response bodies field by field
/** A small HTTP client for end-to-end tests: status, headers and parsed JSON body. */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null,
  ) {}

  withToken(token: string | null): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  get<T = any>(path: string, options: RequestOptions = {}) {
    return this.request<T>("GET", path, options);
  }

  post<T = any>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>("POST", path, { ...options, body });
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    return readResponse<T>(await fetch(`${this.baseUrl}/api/v1${path}`, { method, headers, body }));
  }
}

/**
 * A `fetch` answer read like ApiClient's: for requests it cannot make (multipart uploads, cookies,
 * paths outside /api/v1). `T` is what the test expects the JSON body to be, e.g. `ErrorCollection`.
 */
export async function readResponse<T = any>(response: Response): Promise<ApiResponse<T>> {
  const text = await response.text();
  let parsed: unknown = text;
  if (text && (response.headers.get("content-type") ?? "").includes("json")) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/**
 * An object with its Testmo counters (`untested_count`, `status1_count` … `total_count`) by name:
 * @assay/api builds them from a list, so its Run, Session and AutomationRun types do not name them.
 */
export type WithCounters<T> = T & { [counter: `${string}_count`]: number };

/** `count` tests in the wire format Testmo's CLI sends, statuses cycling through `statuses`. */
export function makeTests(
  count: number,
  options: { prefix?: string; statuses?: string[]; withDetails?: boolean } = {},
) {
  const statuses = options.statuses ?? ["passed"];
  return Array.from({ length: count }, (_, i) => ({
    key: `${options.prefix ?? "t"}${i}`.toLowerCase().replace(/[^a-z0-9]/g, ""),
    name: `test ${i}`,
    status: statuses[i % statuses.length]!,
    folder: `suite.${i % 10}`,
    elapsed: 1000 + i,
    file: "tests/example.spec.ts",
    line: i + 1,
    assertions: 1,
    artifacts: options.withDetails ? [{ name: "log.txt", url: "https://ci.example.com/log.txt" }] : [],
    fields: options.withDetails ? [{ type: 4, name: "Output", value: `output of test ${i}`, is_highlight: false }] : [],
  }));
}
