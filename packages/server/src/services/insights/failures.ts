import type { CreateAutomationTest } from "@assay/api";
import { type FailureSignature, failureSignature } from "./signature.js";

export interface FailureDetail {
  signature: FailureSignature;
  /** first line of the failure as it was, for history and run pages */
  message: string | null;
}

const STATUS_DETAIL = /^(failure|error)$/i;

/**
 * The failure of a failed test: its "Failure" or "Error" console field, as
 * Testmo's CLI and `assay` send it (value: the element's text, meta: its
 * message and type attributes). Null when the test carries none: such a
 * failure joins no group rather than a catch-all one that would link
 * unrelated failures.
 */
export function failureOf(test: CreateAutomationTest): FailureDetail | null {
  const field = test.fields?.find((f) => f.type === 4 && STATUS_DETAIL.test(f.name));
  if (!field) return null;
  const signature = failureSignature({
    type: field.meta?.type ?? null,
    message: field.meta?.message ?? null,
    text: field.value ?? null,
  });
  return { signature, message: signature.sample || null };
}
