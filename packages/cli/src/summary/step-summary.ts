import { appendFile } from "node:fs/promises";

/** GitHub Actions' job summary file for the current step, when set. */
export function stepSummaryPath(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_STEP_SUMMARY?.trim() || undefined;
}

/** Appends (never overwrites: other steps and tools write to the same file); returns the error message on failure. */
export async function appendStepSummary(path: string, markdown: string): Promise<string | undefined> {
  try {
    await appendFile(path, markdown.endsWith("\n") ? `${markdown}\n` : `${markdown}\n\n`, "utf8");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
