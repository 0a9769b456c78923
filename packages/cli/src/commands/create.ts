import { withCiMetadata } from "../ci/metadata.js";
import type { CommandContext } from "./context.js";
import { createClient, readToken } from "./context.js";
import {
  describeRunResources,
  loadRunResources,
  type RunCreateRawOptions,
  runCreateBody,
  withResources,
} from "./run-shared.js";
import { instanceOrigin, proxyAddress } from "./validate.js";

export interface CreateOptions extends RunCreateRawOptions {
  instance?: string;
  resources?: string;
  proxy?: string;
  /** false with --no-ci-metadata */
  ciMetadata?: boolean;
}

/** automation:run:create — creates an empty run and prints only its id on stdout, for `RUN_ID=$(…)`. */
export async function createRun(context: CommandContext, options: CreateOptions): Promise<number> {
  const origin = instanceOrigin(options.instance);
  const { projectId, body } = runCreateBody(options);
  const proxy = proxyAddress(options.proxy);
  const token = readToken(context.env);
  // Resource counts go to the debug log (stderr): stdout must hold the id alone.
  const resources = await loadRunResources(
    context,
    options.resources,
    (file) => `Resource file does not exist: ${file}`,
    describeRunResources,
    (message) => context.logger.debug(message),
  );
  const client = createClient(context, origin, token, proxy);
  const withUserResources = resources ? withResources(body, resources) : body;
  const runBody =
    options.ciMetadata === false
      ? withUserResources
      : withCiMetadata(withUserResources, context.env, (message) => context.logger.debug(message));
  const run = await client.post<{ id: number }>(`/projects/${projectId}/automation/runs`, runBody);
  context.logger.result(String(run.id));
  return 0;
}
