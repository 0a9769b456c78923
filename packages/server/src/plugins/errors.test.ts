import type { FastifyError } from "fastify";
import { describe, expect, it } from "vitest";
import { isApiUrl, literalBadEscapes, validationErrors } from "./errors.js";

function ajvError(validation: unknown[], validationContext = "body"): FastifyError {
  return Object.assign(new Error("invalid"), { validation, validationContext }) as unknown as FastifyError;
}

describe("validationErrors: Ajv errors to Testmo's errors map", () => {
  it("names nested fields with dotted paths, as the CLI prints them", () => {
    const errors = validationErrors(
      ajvError([{ instancePath: "/tests/3/key", keyword: "pattern", params: { pattern: "^[a-z0-9]+$" } }]),
    );
    expect(errors).toEqual({ "tests.3.key": ["The tests.3.key field must match the pattern ^[a-z0-9]+$."] });
  });

  it("reports a missing property under its own name", () => {
    const errors = validationErrors(
      ajvError([{ instancePath: "/fields/0", keyword: "required", params: { missingProperty: "name" } }]),
    );
    expect(errors).toEqual({ "fields.0.name": ["The fields.0.name field is required."] });
  });

  it("names an unknown key itself and says what to do with it", () => {
    const errors = validationErrors(
      ajvError([
        { instancePath: "/policies/0", keyword: "additionalProperties", params: { additionalProperty: "keep" } },
      ]),
    );
    expect(errors).toEqual({
      "policies.0.keep": [
        "The policies.0.keep field is not accepted here (no additional properties): remove it, or check its spelling against /api/v1/openapi.json.",
      ],
    });
  });

  it("takes unknown keys named like Object.prototype's members as plain field names", () => {
    const errors = validationErrors(
      ajvError([
        { instancePath: "", keyword: "additionalProperties", params: { additionalProperty: "constructor" } },
        { instancePath: "", keyword: "additionalProperties", params: { additionalProperty: "__proto__" } },
      ]),
    );
    expect(Object.keys(errors)).toEqual(["constructor", "__proto__"]);
    expect(JSON.parse(JSON.stringify(errors)).constructor[0]).toContain("The constructor field is not accepted here");
  });

  it("lists the allowed values of an enum and falls back to the request part for whole-object errors", () => {
    const perPage = validationErrors(
      ajvError(
        [{ instancePath: "/per_page", keyword: "enum", params: { allowedValues: [15, 25, 50, 100] } }],
        "querystring",
      ),
    );
    expect(perPage.per_page![0]).toBe("The per_page field must be one of: 15, 25, 50, 100.");
    const body = validationErrors(ajvError([{ instancePath: "", keyword: "type", params: { type: "object" } }]));
    expect(body).toEqual({ body: ["The body field must be of type object."] });
  });

  it("tells how to fix too many items and too long strings", () => {
    const errors = validationErrors(
      ajvError([
        { instancePath: "/tests", keyword: "maxItems", params: { limit: 10000 } },
        { instancePath: "/name", keyword: "maxLength", params: { limit: 750 } },
      ]),
    );
    expect(errors.tests![0]).toContain("split the request");
    expect(errors.name![0]).toContain("750 characters");
  });
});

describe("literalBadEscapes: API paths the router could not decode", () => {
  it("escapes every % of a path that is not valid percent-encoded UTF-8, leaving the query alone", () => {
    expect(literalBadEscapes("/api/v1/projects/%FF%FE?name=%FF")).toBe("/api/v1/projects/%25FF%25FE?name=%FF");
    expect(literalBadEscapes("/api/v1/projects/%E0%A4%A/runs")).toBe("/api/v1/projects/%25E0%25A4%25A/runs");
  });

  it("leaves valid escapes and paths outside /api/v1 untouched", () => {
    expect(literalBadEscapes("/api/v1/x/auth/links/a%20b%C3%A9?q=%FF")).toBe("/api/v1/x/auth/links/a%20b%C3%A9?q=%FF");
    expect(literalBadEscapes("/projects/%FF")).toBe("/projects/%FF");
    expect(literalBadEscapes("/api/v10/%FF")).toBe("/api/v10/%FF");
    expect(isApiUrl("/api/v1")).toBe(true);
    expect(isApiUrl("/api/v1?x=1")).toBe(true);
    expect(isApiUrl("/api/v1x")).toBe(false);
  });
});
