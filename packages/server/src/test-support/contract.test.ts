import { describe, expect, it } from "vitest";
import { ResponseContract } from "./contract.js";
import type { ApiResponse } from "./http.js";

const doc = {
  paths: {
    "/api/v1/things/{id}": {
      get: {
        responses: {
          "200": {
            content: {
              "application/json": {
                schema: { type: "object", required: ["id"], properties: { id: { type: "integer" } } },
              },
            },
          },
          "404": {},
        },
      },
    },
  },
};

const response = (status: number, body: unknown, type = "application/json"): ApiResponse => ({
  status,
  body,
  headers: new Headers({ "content-type": type }),
});

describe("ResponseContract", () => {
  const contract = new ResponseContract(doc);

  it("accepts a body of the documented shape", () => {
    expect(contract.violations("GET /things/{id}", response(200, { id: 1 }))).toBeNull();
  });

  it("names what is wrong with a body, an undocumented status and a missing JSON body", () => {
    expect(contract.violations("GET /things/{id}", response(200, { id: "1" }))).toContain("body/id must be integer");
    expect(contract.violations("GET /things/{id}", response(500, {}))).toContain("status 500 is not documented");
    expect(contract.violations("GET /things/{id}", response(404, {}))).toContain("has no documented JSON body");
    expect(contract.violations("GET /things/{id}", response(200, "x", "text/plain"))).toContain("should be JSON");
  });
});
