import type { ApiClient } from "../upload/client.js";
import { ApiResponseError } from "../upload/errors.js";
import { CliError } from "./errors.js";

/** Where the results will go: a new run in a project (submit) or a new thread of a run (submit-thread). */
export type UploadTarget = { projectId: number } | { runId: number };

/**
 * Checks, with reads only, what can be known before the child command runs: the token is
 * valid (GET /user), the project or run exists and the token's user may see it (GET
 * /projects/{id}, GET /automation/runs/{id}), and a run is still open. A CI job with a wrong
 * secret, ID or access then fails in seconds instead of after its tests. Whether the user's
 * role in the project allows uploads is not readable in Testmo's API v1; an Assay server tells it
 * through its extension (GET /x/projects/{id}/permissions). A server without it (Testmo) answers
 * 404 there, and then the first write says so, with the server's message (docs/decisions.md).
 */
export async function checkUploadTarget(client: ApiClient, origin: string, target: UploadTarget): Promise<void> {
  const user = read(client, "/user", (error) =>
    error.status === 401 ? `The server at ${origin} does not accept the API token` : undefined,
  );
  if ("projectId" in target) {
    // The three reads travel together (one round trip instead of three to a distant server) and are
    // judged in order, so a rejected token is still what the user hears first.
    const project = read(client, `/projects/${target.projectId}`, (error) => projectProblem(error, target.projectId));
    const mayUpload = checkMayUpload(client, target.projectId);
    for (const pending of [project, mayUpload]) pending.catch(() => {}); // judged below, in order
    await user;
    await project;
    await mayUpload;
    return;
  }
  await user;
  const run = await read<{ result?: { is_completed?: boolean; project_id?: number } }>(
    client,
    `/automation/runs/${target.runId}`,
    (error) => runProblem(error, target.runId),
  );
  if (run?.result?.is_completed === true) {
    throw new CliError(`Run ${target.runId} is already completed: no thread can be added to it`, 1, [
      "Create a new run with automation:run:create and pass its ID to --run-id.",
    ]);
  }
  if (typeof run?.result?.project_id === "number") await checkMayUpload(client, run.result.project_id);
}

/** The role check, where the server offers Assay's permissions read; skipped where it does not (404). */
async function checkMayUpload(client: ApiClient, projectId: number): Promise<void> {
  let permissions: { result?: { allowed?: unknown } };
  try {
    permissions = await client.get(`/x/projects/${projectId}/permissions`);
  } catch (error) {
    if (error instanceof ApiResponseError && error.status === 404) return;
    throw error;
  }
  const allowed = permissions.result?.allowed;
  if (!Array.isArray(allowed) || allowed.includes("automation")) return;
  throw new CliError(
    `The token's role in project ${projectId} does not allow uploading automation results; nothing was run or sent`,
    1,
    [
      `The role allows: ${allowed.length > 0 ? allowed.join(", ") : "nothing"}.`,
      "Ask a project manager for a role with the automation permission (Tester or above), or use another token.",
    ],
  );
}

async function read<T>(
  client: ApiClient,
  path: string,
  explain: (error: ApiResponseError) => string | undefined,
): Promise<T> {
  try {
    return await client.get<T>(path);
  } catch (error) {
    if (!(error instanceof ApiResponseError)) throw error;
    const problem = explain(error);
    if (problem === undefined) throw error;
    const hints = error.status === 401 ? error.details : [];
    throw new CliError(`${problem}; nothing was run or sent`, 1, [error.message, ...hints]);
  }
}

function projectProblem(error: ApiResponseError, projectId: number): string | undefined {
  if (error.status === 404) return `Project ${projectId} does not exist on the server (check --project-id)`;
  if (error.status === 403) return `The token's user has no access to project ${projectId}`;
  return undefined;
}

function runProblem(error: ApiResponseError, runId: number): string | undefined {
  if (error.status === 404) return `Run ${runId} does not exist on the server (check --run-id)`;
  if (error.status === 403) return `The token's user has no access to the project of run ${runId}`;
  return undefined;
}
