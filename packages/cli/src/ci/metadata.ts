import type { CreateAutomationField, CreateAutomationLink, CreateAutomationRun } from "@assay/api";
import { FIELD_TYPES, LIMITS } from "../api-values.js";
import { truncateString } from "../upload/truncate.js";

type Env = NodeJS.ProcessEnv;

/**
 * One CI service: how to recognise it and where its documented environment variables keep the
 * commit, the branch and the address of the build. Every list is tried in order; the first
 * variable that is set and not blank wins.
 */
export interface CiProvider {
  name: string;
  /** The service is detected when every listed variable is set (to `equals`, case-insensitively, when given). */
  detect: { variable: string; equals?: string }[];
  commit: string[];
  branch: string[];
  /** Prefixes removed from the branch value (`refs/heads/`, Jenkins' `origin/`). */
  branchPrefixes?: string[];
  buildUrl: (env: Env) => string | undefined;
}

/** Value of the first variable that is set and not blank. */
function first(env: Env, variables: string[]): string | undefined {
  for (const variable of variables) {
    const value = env[variable]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** The address built by `template` when every variable in `variables` is set, else undefined. */
function url(env: Env, template: (v: (name: string) => string) => string, variables: string[]): string | undefined {
  if (variables.some((name) => !env[name]?.trim())) return undefined;
  return template((name) => env[name]!.trim());
}

/**
 * The providers, tried in this order. Sources: each service's documentation of its predefined
 * variables (GitHub Actions "Variables reference", GitLab "Predefined CI/CD variables", Jenkins
 * env-vars.html with the multibranch CHANGE_* variables, CircleCI, Buildkite, Azure Pipelines
 * "Predefined variables", Bitbucket Pipelines "Variables and secrets").
 */
export const CI_PROVIDERS: readonly CiProvider[] = [
  {
    name: "GitHub Actions",
    detect: [{ variable: "GITHUB_ACTIONS", equals: "true" }],
    commit: ["GITHUB_SHA"],
    // GITHUB_HEAD_REF is set only for pull_request events: the PR's source branch.
    branch: ["GITHUB_HEAD_REF", "GITHUB_REF_NAME"],
    buildUrl: (env) => {
      const base = url(
        env,
        (v) =>
          `${v("GITHUB_SERVER_URL").replace(/\/+$/, "")}/${v("GITHUB_REPOSITORY")}/actions/runs/${v("GITHUB_RUN_ID")}`,
        ["GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"],
      );
      const attempt = Number(env.GITHUB_RUN_ATTEMPT?.trim());
      return base && Number.isInteger(attempt) && attempt > 1 ? `${base}/attempts/${attempt}` : base;
    },
  },
  {
    name: "GitLab CI",
    detect: [{ variable: "GITLAB_CI" }],
    commit: ["CI_COMMIT_SHA"],
    branch: ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_REF_NAME"],
    buildUrl: (env) => first(env, ["CI_JOB_URL"]),
  },
  {
    name: "Jenkins",
    detect: [{ variable: "JENKINS_URL" }],
    commit: ["GIT_COMMIT"],
    // Multibranch pull requests: BRANCH_NAME is "PR-24", CHANGE_BRANCH the real source branch.
    branch: ["CHANGE_BRANCH", "BRANCH_NAME", "GIT_BRANCH"],
    branchPrefixes: ["origin/", "refs/heads/"],
    buildUrl: (env) => first(env, ["BUILD_URL"]),
  },
  {
    name: "CircleCI",
    detect: [{ variable: "CIRCLECI", equals: "true" }],
    commit: ["CIRCLE_SHA1"],
    branch: ["CIRCLE_BRANCH"],
    buildUrl: (env) => first(env, ["CIRCLE_BUILD_URL"]),
  },
  {
    name: "Buildkite",
    detect: [{ variable: "BUILDKITE", equals: "true" }],
    commit: ["BUILDKITE_COMMIT"],
    branch: ["BUILDKITE_BRANCH"],
    buildUrl: (env) => first(env, ["BUILDKITE_BUILD_URL"]),
  },
  {
    name: "Azure Pipelines",
    detect: [{ variable: "TF_BUILD", equals: "true" }],
    commit: ["BUILD_SOURCEVERSION"],
    branch: ["SYSTEM_PULLREQUEST_SOURCEBRANCH", "BUILD_SOURCEBRANCH"],
    branchPrefixes: ["refs/heads/"],
    buildUrl: (env) =>
      url(
        env,
        (v) =>
          `${v("SYSTEM_COLLECTIONURI").replace(/\/*$/, "/")}${encodeURIComponent(v("SYSTEM_TEAMPROJECT"))}` +
          `/_build/results?buildId=${encodeURIComponent(v("BUILD_BUILDID"))}`,
        ["SYSTEM_COLLECTIONURI", "SYSTEM_TEAMPROJECT", "BUILD_BUILDID"],
      ),
  },
  {
    name: "Bitbucket Pipelines",
    detect: [{ variable: "BITBUCKET_BUILD_NUMBER" }],
    commit: ["BITBUCKET_COMMIT"],
    branch: ["BITBUCKET_BRANCH"],
    buildUrl: (env) =>
      url(
        env,
        (v) =>
          `https://bitbucket.org/${v("BITBUCKET_REPO_FULL_NAME")}/pipelines/results/${v("BITBUCKET_BUILD_NUMBER")}`,
        ["BITBUCKET_REPO_FULL_NAME", "BITBUCKET_BUILD_NUMBER"],
      ),
  },
];

/** Every variable the table reads to detect a service (tests blank them for a clean environment). */
export const CI_DETECTION_VARIABLES = [...new Set(CI_PROVIDERS.flatMap((p) => p.detect.map((d) => d.variable)))];

export interface CiMetadata {
  provider: string;
  commit?: string;
  branch?: string;
  buildUrl?: string;
}

export function detectProvider(env: Env, providers: readonly CiProvider[] = CI_PROVIDERS): CiProvider | undefined {
  return providers.find((provider) =>
    provider.detect.every(({ variable, equals }) => {
      const value = env[variable]?.trim();
      if (!value) return false;
      return equals === undefined || value.toLowerCase() === equals;
    }),
  );
}

/** The CI service this process runs in and what it says about the build; undefined outside CI. */
export function detectCiMetadata(env: Env, providers: readonly CiProvider[] = CI_PROVIDERS): CiMetadata | undefined {
  const provider = detectProvider(env, providers);
  if (!provider) return undefined;
  const metadata: CiMetadata = { provider: provider.name };
  const commit = first(env, provider.commit);
  if (commit) metadata.commit = commit;
  const branch = normaliseBranch(first(env, provider.branch), provider.branchPrefixes ?? []);
  if (branch) metadata.branch = branch;
  const buildUrl = provider.buildUrl(env);
  if (buildUrl && /^https?:\/\//i.test(buildUrl)) metadata.buildUrl = buildUrl;
  return metadata;
}

/** Strips one known prefix; a ref that is still not a branch (`refs/tags/…`, `refs/pull/…`) is dropped. */
function normaliseBranch(value: string | undefined, prefixes: string[]): string | undefined {
  if (value === undefined) return undefined;
  const prefix = prefixes.find((p) => value.startsWith(p) && value.length > p.length);
  const branch = prefix ? value.slice(prefix.length) : value;
  return branch.startsWith("refs/") ? undefined : branch;
}

export const COMMIT_FIELD = "Commit";
export const BRANCH_FIELD = "Branch";

export interface CiAddition {
  fields: CreateAutomationField[];
  links: CreateAutomationLink[];
  /** What was left out and why, for --debug. */
  skipped: string[];
}

/**
 * The run fields and link to add for `metadata`, leaving out whatever the user's own resources
 * already carry: a field named Commit or Branch (any case), a link with the same URL. Never
 * pushes a list past the server's per-request limit.
 */
export function ciResources(
  metadata: CiMetadata,
  existing: { fields?: readonly { name: string }[]; links?: readonly { url: string }[] },
): CiAddition {
  const fieldNames = new Set((existing.fields ?? []).map((field) => field.name.trim().toLowerCase()));
  const linkUrls = new Set((existing.links ?? []).map((link) => link.url.trim()));
  const addition: CiAddition = { fields: [], links: [], skipped: [] };
  let fieldRoom = LIMITS.resourcesPerObject - (existing.fields?.length ?? 0);

  for (const [name, value] of [
    [COMMIT_FIELD, metadata.commit],
    [BRANCH_FIELD, metadata.branch],
  ] as const) {
    if (value === undefined) continue;
    if (fieldNames.has(name.toLowerCase())) addition.skipped.push(`${name}: the resources already have this field`);
    else if (fieldRoom <= 0) addition.skipped.push(`${name}: the run already has ${LIMITS.resourcesPerObject} fields`);
    else {
      addition.fields.push({ type: FIELD_TYPES.string, name, value: truncateString(value) });
      fieldRoom--;
    }
  }

  if (metadata.buildUrl !== undefined) {
    const linkUrl = truncateString(metadata.buildUrl);
    if (linkUrls.has(linkUrl) || linkUrls.has(metadata.buildUrl)) {
      addition.skipped.push("build link: the resources already have a link to this URL");
    } else if ((existing.links?.length ?? 0) >= LIMITS.resourcesPerObject) {
      addition.skipped.push(`build link: the run already has ${LIMITS.resourcesPerObject} links`);
    } else {
      addition.links.push({ name: truncateString(`${metadata.provider} build`), url: linkUrl });
    }
  }
  return addition;
}

/** `body` with the CI fields and link appended (after the user's own), plus a --debug description. */
export function withCiMetadata(
  body: CreateAutomationRun,
  env: Env,
  debug: (message: string) => void,
): CreateAutomationRun {
  const metadata = detectCiMetadata(env);
  if (!metadata) {
    debug("CI metadata: no supported CI service detected");
    return body;
  }
  const addition = ciResources(metadata, body);
  debug(
    `CI metadata: ${metadata.provider}; commit ${metadata.commit ?? "(none)"}, branch ${metadata.branch ?? "(none)"}, ` +
      `build ${metadata.buildUrl ?? "(none)"}`,
  );
  for (const reason of addition.skipped) debug(`CI metadata: not added: ${reason}`);
  if (addition.fields.length === 0 && addition.links.length === 0) return body;
  return {
    ...body,
    fields: [...(body.fields ?? []), ...addition.fields],
    links: [...(body.links ?? []), ...addition.links],
  };
}
