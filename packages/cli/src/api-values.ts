/**
 * The few runtime values of the API contract the CLI needs, copied from @assay/api so that the
 * published CLI depends on no other Assay package (it installs alone with `npm i -g`). Only
 * types are imported from @assay/api (erased at build time); `satisfies` makes tsc fail if a
 * copy drifts from the contract, and api-values.test.ts compares the values themselves.
 */
import type {
  COMPARISON_CATEGORIES as ApiComparisonCategories,
  FIELD_TYPES as ApiFieldTypes,
  LIMITS as ApiLimits,
} from "@assay/api";

/** Field type ids of the API (string 1, text 2, html 3, console 4, url 5). */
export const FIELD_TYPES = { string: 1, text: 2, html: 3, console: 4, url: 5 } as const satisfies typeof ApiFieldTypes;

/** Server-side limits the CLI stays within. */
export const LIMITS = {
  string: 750,
  note: 80,
  fieldValue: 1_048_576,
  key: 64,
  testsPerAppend: 10_000,
  resourcesPerObject: 250,
  tags: 100,
} as const satisfies typeof ApiLimits;

/** Categories of a run comparison, in the order the summary prints them. */
export const COMPARISON_CATEGORIES = [
  "new_failures",
  "still_failing",
  "fixed",
  "new_tests",
  "gone_tests",
  "slower",
] as const satisfies typeof ApiComparisonCategories;
