import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { ApiResponse } from "./http.js";

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: object }> }> };
type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

/**
 * Checks live responses against the response schemas the server publishes in
 * /api/v1/openapi.json (built from the shared @assay/api schemas), so a
 * presenter that drifts from the documented shape fails a test.
 */
export class ResponseContract {
  private readonly ajv = addFormats.default(new Ajv({ strict: false, allErrors: true }));
  private readonly compiled = new Map<string, ValidateFunction | null>();

  constructor(private readonly doc: OpenApiDocument) {}

  /** `route` is `METHOD /path` as in the document without /api/v1; returns what is wrong, or null. */
  violations(route: string, res: ApiResponse): string | null {
    if (res.status === 204) return null;
    const json = (res.headers.get("content-type") ?? "").includes("application/json");
    const validate = this.validator(route, res.status);
    if (validate === undefined) return `${route}: status ${res.status} is not documented`;
    if (validate === null) return json ? `${route}: ${res.status} has no documented JSON body` : null;
    if (!json) return `${route}: ${res.status} should be JSON`;
    if (validate(res.body)) return null;
    return `${route} ${res.status}: ${this.ajv.errorsText(validate.errors, { dataVar: "body" })}`;
  }

  private validator(route: string, status: number): ValidateFunction | null | undefined {
    const key = `${route} ${status}`;
    if (!this.compiled.has(key)) {
      const [method, path] = route.split(" ") as [string, string];
      const responses = this.doc.paths[`/api/v1${path}`]?.[method.toLowerCase()]?.responses;
      const response = responses?.[String(status)];
      if (!response) return undefined;
      const schema = response.content?.["application/json"]?.schema;
      this.compiled.set(key, schema ? this.ajv.compile(schema) : null);
    }
    return this.compiled.get(key);
  }
}
