import * as api from "@assay/api";
import { describe, expect, it } from "vitest";
import { COMPARISON_CATEGORIES, FIELD_TYPES, LIMITS } from "./api-values.js";

describe("the CLI's copy of the API's runtime values", () => {
  it("equals @assay/api's, so the CLI can ship without it", () => {
    expect(FIELD_TYPES).toEqual(api.FIELD_TYPES);
    expect(LIMITS).toEqual(api.LIMITS);
    expect(COMPARISON_CATEGORIES).toEqual(api.COMPARISON_CATEGORIES);
  });
});
