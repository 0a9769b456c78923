import type { CreateAutomationRun } from "@assay/api";
import { describe, expect, it } from "vitest";
import { CI_DETECTION_VARIABLES, CI_PROVIDERS, ciResources, detectCiMetadata, withCiMetadata } from "./metadata.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

/** One environment per provider, as the service documents it, and what must be read from it. */
const CASES: { provider: string; env: Record<string, string>; expected: Record<string, string> }[] = [
  {
    provider: "GitHub Actions (push)",
    env: {
      GITHUB_ACTIONS: "true",
      GITHUB_SHA: SHA,
      GITHUB_REF_NAME: "main",
      GITHUB_HEAD_REF: "",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_RUN_ID: "9876543210",
      GITHUB_RUN_ATTEMPT: "1",
    },
    expected: {
      provider: "GitHub Actions",
      commit: SHA,
      branch: "main",
      buildUrl: "https://github.com/acme/shop/actions/runs/9876543210",
    },
  },
  {
    provider: "GitHub Actions (pull request, second attempt)",
    env: {
      GITHUB_ACTIONS: "true",
      GITHUB_SHA: SHA,
      GITHUB_REF_NAME: "42/merge",
      GITHUB_HEAD_REF: "feature/login",
      GITHUB_SERVER_URL: "https://github.example.com/",
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_RUN_ID: "77",
      GITHUB_RUN_ATTEMPT: "2",
    },
    expected: {
      provider: "GitHub Actions",
      commit: SHA,
      branch: "feature/login",
      buildUrl: "https://github.example.com/acme/shop/actions/runs/77/attempts/2",
    },
  },
  {
    provider: "GitLab CI (branch pipeline)",
    env: {
      GITLAB_CI: "true",
      CI_COMMIT_SHA: SHA,
      CI_COMMIT_REF_NAME: "develop",
      CI_JOB_URL: "https://gitlab.com/acme/shop/-/jobs/123",
    },
    expected: {
      provider: "GitLab CI",
      commit: SHA,
      branch: "develop",
      buildUrl: "https://gitlab.com/acme/shop/-/jobs/123",
    },
  },
  {
    provider: "GitLab CI (merge request pipeline)",
    env: {
      GITLAB_CI: "true",
      CI_COMMIT_SHA: SHA,
      CI_COMMIT_REF_NAME: "refs/merge-requests/59/head",
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "fix/cart",
      CI_JOB_URL: "https://gitlab.com/acme/shop/-/jobs/124",
    },
    expected: {
      provider: "GitLab CI",
      commit: SHA,
      branch: "fix/cart",
      buildUrl: "https://gitlab.com/acme/shop/-/jobs/124",
    },
  },
  {
    provider: "Jenkins (freestyle, GIT_BRANCH)",
    env: {
      JENKINS_URL: "https://jenkins.acme.test/",
      GIT_COMMIT: SHA,
      GIT_BRANCH: "origin/release/2.0",
      BUILD_URL: "https://jenkins.acme.test/job/shop/15/",
    },
    expected: {
      provider: "Jenkins",
      commit: SHA,
      branch: "release/2.0",
      buildUrl: "https://jenkins.acme.test/job/shop/15/",
    },
  },
  {
    provider: "Jenkins (multibranch)",
    env: {
      JENKINS_URL: "https://jenkins.acme.test/",
      GIT_COMMIT: SHA,
      BRANCH_NAME: "main",
      GIT_BRANCH: "origin/main",
      BUILD_URL: "https://jenkins.acme.test/job/shop/job/main/3/",
    },
    expected: {
      provider: "Jenkins",
      commit: SHA,
      branch: "main",
      buildUrl: "https://jenkins.acme.test/job/shop/job/main/3/",
    },
  },
  {
    provider: "Jenkins (multibranch pull request)",
    env: {
      JENKINS_URL: "https://jenkins.acme.test/",
      GIT_COMMIT: SHA,
      BRANCH_NAME: "PR-24",
      CHANGE_BRANCH: "feature/search",
      BUILD_URL: "https://jenkins.acme.test/job/shop/job/PR-24/1/",
    },
    expected: {
      provider: "Jenkins",
      commit: SHA,
      branch: "feature/search",
      buildUrl: "https://jenkins.acme.test/job/shop/job/PR-24/1/",
    },
  },
  {
    provider: "CircleCI",
    env: {
      CIRCLECI: "true",
      CIRCLE_SHA1: SHA,
      CIRCLE_BRANCH: "main",
      CIRCLE_BUILD_URL: "https://circleci.com/gh/acme/shop/321",
    },
    expected: {
      provider: "CircleCI",
      commit: SHA,
      branch: "main",
      buildUrl: "https://circleci.com/gh/acme/shop/321",
    },
  },
  {
    provider: "Buildkite",
    env: {
      BUILDKITE: "true",
      BUILDKITE_COMMIT: SHA,
      BUILDKITE_BRANCH: "main",
      BUILDKITE_BUILD_URL: "https://buildkite.com/acme/shop/builds/88",
    },
    expected: {
      provider: "Buildkite",
      commit: SHA,
      branch: "main",
      buildUrl: "https://buildkite.com/acme/shop/builds/88",
    },
  },
  {
    provider: "Azure Pipelines (branch)",
    env: {
      TF_BUILD: "True",
      BUILD_SOURCEVERSION: SHA,
      BUILD_SOURCEBRANCH: "refs/heads/main",
      SYSTEM_COLLECTIONURI: "https://dev.azure.com/acme/",
      SYSTEM_TEAMPROJECT: "Web Shop",
      BUILD_BUILDID: "1234",
    },
    expected: {
      provider: "Azure Pipelines",
      commit: SHA,
      branch: "main",
      buildUrl: "https://dev.azure.com/acme/Web%20Shop/_build/results?buildId=1234",
    },
  },
  {
    provider: "Azure Pipelines (pull request)",
    env: {
      TF_BUILD: "True",
      BUILD_SOURCEVERSION: SHA,
      BUILD_SOURCEBRANCH: "refs/pull/7/merge",
      SYSTEM_PULLREQUEST_SOURCEBRANCH: "refs/heads/feature/pay",
      SYSTEM_COLLECTIONURI: "https://dev.azure.com/acme/",
      SYSTEM_TEAMPROJECT: "shop",
      BUILD_BUILDID: "1235",
    },
    expected: {
      provider: "Azure Pipelines",
      commit: SHA,
      branch: "feature/pay",
      buildUrl: "https://dev.azure.com/acme/shop/_build/results?buildId=1235",
    },
  },
  {
    provider: "Bitbucket Pipelines",
    env: {
      BITBUCKET_BUILD_NUMBER: "512",
      BITBUCKET_COMMIT: SHA,
      BITBUCKET_BRANCH: "main",
      BITBUCKET_REPO_FULL_NAME: "acme/shop",
    },
    expected: {
      provider: "Bitbucket Pipelines",
      commit: SHA,
      branch: "main",
      buildUrl: "https://bitbucket.org/acme/shop/pipelines/results/512",
    },
  },
];

describe("CI providers", () => {
  it.each(CASES)("$provider", ({ env, expected }) => {
    expect(detectCiMetadata(env)).toEqual(expected);
  });

  it("covers every provider of the table", () => {
    const tested = new Set(CASES.map((c) => c.expected.provider));
    expect(CI_PROVIDERS.map((p) => p.name).filter((name) => !tested.has(name))).toEqual([]);
  });

  it("detects nothing outside CI, or when a detection variable is blank or false", () => {
    expect(detectCiMetadata({})).toBeUndefined();
    expect(detectCiMetadata({ CI: "true", GITHUB_SHA: SHA })).toBeUndefined();
    expect(detectCiMetadata({ GITHUB_ACTIONS: "false", GITHUB_SHA: SHA })).toBeUndefined();
    expect(detectCiMetadata({ GITHUB_ACTIONS: " ", GITHUB_SHA: SHA })).toBeUndefined();
    expect(detectCiMetadata({ TF_BUILD: "False" })).toBeUndefined();
    expect(detectCiMetadata({ JENKINS_URL: "" })).toBeUndefined();
  });

  it("lists the detection variables (tests blank them)", () => {
    expect(CI_DETECTION_VARIABLES).toEqual(
      expect.arrayContaining([
        "GITHUB_ACTIONS",
        "GITLAB_CI",
        "JENKINS_URL",
        "CIRCLECI",
        "BUILDKITE",
        "TF_BUILD",
        "BITBUCKET_BUILD_NUMBER",
      ]),
    );
  });

  it("leaves out what the service does not give: no URL without all its parts, tags are not branches", () => {
    expect(
      detectCiMetadata({ GITHUB_ACTIONS: "true", GITHUB_SHA: SHA, GITHUB_RUN_ID: "1", GITHUB_REPOSITORY: "a/b" }),
    ).toEqual({ provider: "GitHub Actions", commit: SHA });
    expect(
      detectCiMetadata({ TF_BUILD: "True", BUILD_SOURCEVERSION: SHA, BUILD_SOURCEBRANCH: "refs/tags/v1.0" }),
    ).toEqual({ provider: "Azure Pipelines", commit: SHA });
    expect(detectCiMetadata({ JENKINS_URL: "x", BUILD_URL: "javascript:alert(1)" })).toEqual({ provider: "Jenkins" });
    expect(detectCiMetadata({ BITBUCKET_BUILD_NUMBER: "3", BITBUCKET_COMMIT: ` ${SHA} ` })).toEqual({
      provider: "Bitbucket Pipelines",
      commit: SHA,
    });
  });

  it("takes the first provider of the table when several are detected", () => {
    expect(detectCiMetadata({ GITHUB_ACTIONS: "true", JENKINS_URL: "https://j" })?.provider).toBe("GitHub Actions");
  });
});

describe("CI run fields and link", () => {
  const metadata = { provider: "GitLab CI", commit: SHA, branch: "main", buildUrl: "https://gitlab.com/j/1" };

  it("adds Commit and Branch string fields and a '<CI> build' link", () => {
    expect(ciResources(metadata, {})).toEqual({
      fields: [
        { type: 1, name: "Commit", value: SHA },
        { type: 1, name: "Branch", value: "main" },
      ],
      links: [{ name: "GitLab CI build", url: "https://gitlab.com/j/1" }],
      skipped: [],
    });
  });

  it("keeps the user's own Commit/Branch fields (any case) and links to the same URL", () => {
    const addition = ciResources(metadata, {
      fields: [{ name: " COMMIT " }, { name: "Version" }],
      links: [{ url: "https://gitlab.com/j/1" }],
    });
    expect(addition.fields).toEqual([{ type: 1, name: "Branch", value: "main" }]);
    expect(addition.links).toEqual([]);
    expect(addition.skipped).toHaveLength(2);
    expect(ciResources(metadata, { fields: [{ name: "branch" }] }).fields.map((f) => f.name)).toEqual(["Commit"]);
  });

  it("never pushes the run past the server's 250 fields or links", () => {
    const full = {
      fields: Array.from({ length: 249 }, (_, i) => ({ name: `f${i}` })),
      links: Array.from({ length: 250 }, (_, i) => ({ url: `https://x/${i}` })),
    };
    const addition = ciResources(metadata, full);
    expect(addition.fields.map((f) => f.name)).toEqual(["Commit"]);
    expect(addition.links).toEqual([]);
  });

  it("cuts long values to Testmo's 750 characters", () => {
    const addition = ciResources({ provider: "Jenkins", branch: "b".repeat(1000) }, {});
    expect(addition.fields[0]?.value).toHaveLength(750);
  });

  it("appends to the run body after the user's resources and describes itself only in the debug log", () => {
    const body: CreateAutomationRun = {
      name: "n",
      source: "s",
      fields: [{ type: 1, name: "Version", value: "1" }],
      links: [],
      artifacts: [],
    };
    const debug: string[] = [];
    const env = { CIRCLECI: "true", CIRCLE_SHA1: SHA, CIRCLE_BRANCH: "main", CIRCLE_BUILD_URL: "https://c/1" };
    const result = withCiMetadata(body, env, (message) => debug.push(message));
    expect(result.fields?.map((f) => f.name)).toEqual(["Version", "Commit", "Branch"]);
    expect(result.links).toEqual([{ name: "CircleCI build", url: "https://c/1" }]);
    expect(body.fields).toHaveLength(1);
    expect(debug.join("\n")).toContain("CI metadata: CircleCI");
    expect(withCiMetadata(body, {}, (message) => debug.push(message))).toBe(body);
  });
});
