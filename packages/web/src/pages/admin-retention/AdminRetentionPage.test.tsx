import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, page, project, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const source = {
  id: 4,
  project_id: 1,
  name: "backend",
  status: 1,
  is_retired: false,
  run_count: 3,
  test_count_average: 10,
  elapsed_average: 100,
  ran_at: null,
  created_at: "2026-01-01T00:00:00.000Z",
  created_by: 1,
  updated_at: null,
  updated_by: null,
  retired_at: null,
  retired_by: null,
};

function routes() {
  return {
    ...signedIn([project({ id: 1, name: "Demo" })]),
    "GET /api/v1/x/projects/1/retention": json({ result: [{ source_id: null, keep_days: 90, keep_runs: null }] }),
    "GET /api/v1/projects/1/automation/sources": json(page([source])),
  };
}

describe("Administration › Retention", () => {
  it("shows the policies of the project and source, and saves the filled rows", async () => {
    const server = fakeApi({
      ...routes(),
      "PUT /api/v1/x/projects/1/retention": (call) => json({ result: (call.body as { policies: unknown[] }).policies }),
    });
    await renderApp("/admin/retention?project=1");
    const days = (await screen.findAllByLabelText("Keep days")) as HTMLInputElement[];
    expect(days.map((input) => input.value)).toEqual(["90", ""]);
    fireEvent.change(screen.getAllByLabelText("Keep runs")[1]!, { target: { value: "50" } });
    fireEvent.click(screen.getByRole("button", { name: "Save policies" }));
    expect(await screen.findByText(/Saved/)).toBeTruthy();
    expect(server.callsTo("PUT /api/v1/x/projects/1/retention")[0]!.body).toEqual({
      policies: [
        { source_id: null, keep_days: 90, keep_runs: null },
        { source_id: 4, keep_days: null, keep_runs: 50 },
      ],
    });
  });

  it("says what is wrong next to the field: a limit that is not a number, and the server's messages", async () => {
    const server = fakeApi({
      ...routes(),
      "PUT /api/v1/x/projects/1/retention": failure(422, "invalid", { "policies.1.source_id": ["Source 4 is gone."] }),
    });
    await renderApp("/admin/retention?project=1");
    const runs = (await screen.findAllByLabelText("Keep runs")) as HTMLInputElement[];
    fireEvent.change(runs[1]!, { target: { value: "many" } });
    fireEvent.click(screen.getByRole("button", { name: "Save policies" }));
    expect(await screen.findByText(/Enter a whole number of runs/)).toBeTruthy();
    expect(runs[1]!.getAttribute("aria-invalid")).toBe("true");
    expect(server.callsTo("PUT /api/v1/x/projects/1/retention")).toEqual([]);
    fireEvent.change(runs[1]!, { target: { value: "5" } });
    fireEvent.click(screen.getByRole("button", { name: "Save policies" }));
    expect(await screen.findByText("Source 4 is gone.")).toBeTruthy();
    await waitFor(() => expect(runs[1]!.value).toBe("5"));
  });
});
