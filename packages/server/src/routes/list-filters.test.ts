import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_LIST_VALUES } from "../lib/query.js";
import { BACKENDS } from "../test-support/backends.js";
import { ApiClient, type ApiResponse } from "../test-support/http.js";
import { runServerCommand, startServerProcess, type TestServer } from "../test-support/server-process.js";

/**
 * List filters at their edges, on every backend: date-times with a leap second
 * or an offset that leaves years 0000–9999, lists that name nothing (`tags=,`)
 * and lists longer than MAX_LIST_VALUES. Each is normalised or a 422 naming the
 * parameter, never a database error.
 */

// The demo's project is project 2 (1 is the "First project" every install starts with); its runs are runs 1–5.
/** Every list with date filters, and its date parameters. */
const DATE_FILTERS: [path: string, params: string[]][] = [
  ["/projects/2/automation/runs", ["created_after", "created_before"]],
  ["/projects/2/runs", ["created_after", "created_before", "closed_after", "closed_before"]],
  ["/projects/2/sessions", ["created_after", "created_before", "closed_after", "closed_before"]],
  ["/projects/2/cases", ["created_after", "created_before"]],
  ["/projects/2/milestones", ["created_after", "created_before", "completed_after", "completed_before"]],
  ["/runs/1/results", ["created_after", "created_before"]],
  ["/x/projects/2/failure-groups", ["since"]],
];

const TAG_LISTS = ["/projects/2/automation/runs", "/projects/2/runs", "/projects/2/sessions"];

function expect422(res: ApiResponse, param: string, text: string) {
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(422);
  expect(res.body.errors[param][0]).toContain(text);
  expect(res.body.message).toContain(param);
}

describe.each(BACKENDS)("list filter edges on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend, env: { ASSAY_RATE_LIMIT_REQUESTS: "1000000" } });
    api = new ApiClient(server.url, server.token);
    await runServerCommand(server, ["demo"]);
  }, 120_000);
  afterAll(() => server?.stop());

  it("takes a leap second on every date filter, as the last millisecond of that minute", async () => {
    for (const [path, params] of DATE_FILTERS) {
      for (const param of params) {
        const all = await api.get(
          `${path}?${param}=${param.endsWith("after") || param === "since" ? "1970-01-01T00:00:00Z" : "9000-01-01T00:00:00Z"}`,
        );
        expect(all.status, `${path} ${param}`).toBe(200);
        for (const leap of ["2024-01-01T23:59:60Z", "2016-12-31T23:59:60.5Z", "2024-01-02T00:59:60+01:00"]) {
          const res = await api.get(`${path}?${param}=${encodeURIComponent(leap)}`);
          expect(res.status, `${path}?${param}=${leap}: ${JSON.stringify(res.body)}`).toBe(200);
        }
      }
    }
    // Same answer as 23:59:59.999: everything created before it (the demo's data is older).
    const runs = await api.get("/projects/2/runs?created_before=2999-12-31T23:59:60Z");
    const all = await api.get("/projects/2/runs");
    expect(runs.body.total).toBe(all.body.total);
    expect(all.body.total).toBeGreaterThan(0);
  });

  it("refuses date-times outside years 0000–9999 in UTC with a 422 naming the parameter", async () => {
    for (const [path, params] of DATE_FILTERS) {
      for (const param of params) {
        for (const value of ["9999-12-31T23:59:59-23:59", "0000-01-01T00:00:00+00:01"]) {
          const res = await api.get(`${path}?${param}=${encodeURIComponent(value)}`);
          expect422(res, param, "9999-12-31T23:59:59.999Z");
        }
      }
    }
    // The edges themselves, with offsets that stay inside the range, are fine.
    const edge = await api.get(`/projects/2/runs?created_before=${encodeURIComponent("9999-12-31T23:59:59+23:59")}`);
    expect(edge.status).toBe(200);
    expect(edge.body.total).toBeGreaterThan(0);
    expect((await api.get("/projects/2/runs?created_after=0000-01-01T00:00:00-01:00")).body.total).toBe(
      edge.body.total,
    );
  });

  it("refuses a tags list of only blanks with a 422, never IN ()", async () => {
    for (const path of TAG_LISTS) {
      for (const value of [",", " , ,", "%20"]) {
        expect422(await api.get(`${path}?tags=${value}`), "tags", "names nothing");
      }
    }
    expect422(await api.get("/projects/2/milestones?automation_tags=,"), "automation_tags", "names nothing");
  });

  it("matches automation_tags as whole tags, ignoring case, with up to the list limit of names", async () => {
    const milestones = (await api.get("/projects/2/milestones?per_page=100")).body.result as {
      automation_tags: string[];
    }[];
    const tagged = milestones.find((m) => m.automation_tags.length > 0);
    expect(tagged).toBeDefined();
    const tag = tagged!.automation_tags[0]!;
    const one = await api.get(`/projects/2/milestones?automation_tags=${encodeURIComponent(tag.toUpperCase())}`);
    expect(one.status).toBe(200);
    expect(one.body.total).toBeGreaterThan(0);
    expect(one.body.result.every((m: { automation_tags: string[] }) => m.automation_tags.includes(tag))).toBe(true);
    const partial = await api.get(`/projects/2/milestones?automation_tags=${encodeURIComponent(tag.slice(0, -1))}`);
    expect(partial.body.total).toBe(0);
    const many = Array.from({ length: MAX_LIST_VALUES - 1 }, (_, i) => `tag${i}`).concat(tag);
    const big = await api.get(`/projects/2/milestones?automation_tags=${many.join(",")}`);
    expect(big.status, JSON.stringify(big.body)).toBe(200);
    expect(big.body.total).toBe(one.body.total);
  });

  it("refuses list parameters longer than the limit with a 422 that says the limit", async () => {
    const names = Array.from({ length: MAX_LIST_VALUES + 1 }, (_, i) => `t${i}`).join(",");
    const ids = Array.from({ length: MAX_LIST_VALUES + 1 }, (_, i) => i + 1).join(",");
    const limit = `at most ${MAX_LIST_VALUES}`;
    expect422(await api.get(`/projects/2/milestones?automation_tags=${names}`), "automation_tags", limit);
    for (const path of TAG_LISTS) expect422(await api.get(`${path}?tags=${names}`), "tags", limit);
    expect422(await api.get(`/projects/2/automation/runs?created_by=${ids}`), "created_by", limit);
    expect422(await api.get(`/projects/2/cases?folder_id=${ids}`), "folder_id", limit);
    expect422(await api.get(`/runs/1/results?status_id=${ids}`), "status_id", limit);
    // At the limit, ids are fine.
    const atLimit = Array.from({ length: MAX_LIST_VALUES }, (_, i) => i + 1).join(",");
    expect((await api.get(`/projects/2/automation/runs?created_by=${atLimit}`)).status).toBe(200);
  });
});
