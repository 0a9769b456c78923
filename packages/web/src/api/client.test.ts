import { afterEach, describe, expect, it, vi } from "vitest";
import { failure, fakeApi, json, noContent } from "../test-support/fake-api";
import { ApiError, api, buildUrl, onUnauthorized, retryAfter, setCsrfToken } from "./client";

afterEach(() => {
  setCsrfToken(null);
  onUnauthorized(null);
  vi.unstubAllGlobals();
});

describe("the API client", () => {
  it("builds /api/v1 URLs and leaves empty query values out", () => {
    expect(buildUrl("/projects")).toBe("/api/v1/projects");
    expect(buildUrl("/x/projects/2/automation/cases", { sort: "flaky_percent", page: 2, name: "", flaky: true })).toBe(
      "/api/v1/x/projects/2/automation/cases?sort=flaky_percent&page=2&flaky=true",
    );
    expect(buildUrl("/automation/runs", { status: [2, 3], tags: [], q: null, r: undefined })).toBe(
      "/api/v1/automation/runs?status=2%2C3",
    );
    expect(() => buildUrl("projects")).toThrow(/start with/);
  });

  it("sends the session cookie, and the CSRF token on writes only", async () => {
    const server = fakeApi({
      "GET /api/v1/projects": json({ result: [] }),
      "POST /api/v1/x/me/tokens": json({ result: { id: 1 } }, 201),
      "DELETE /api/v1/x/me/tokens/1": noContent,
    });
    setCsrfToken("csrf-abc");
    await api.get("/projects");
    expect(await api.post("/x/me/tokens", { name: "CI" })).toEqual({ result: { id: 1 } });
    expect(await api.delete("/x/me/tokens/1")).toBeUndefined();
    const [get, post, del] = server.calls;
    expect(get!.headers["x-csrf-token"]).toBeUndefined();
    expect(post!.headers["x-csrf-token"]).toBe("csrf-abc");
    expect(post!.headers["content-type"]).toBe("application/json");
    expect(post!.body).toEqual({ name: "CI" });
    expect(del!.headers["x-csrf-token"]).toBe("csrf-abc");
    const init = vi.mocked(fetch).mock.calls[0]![1]!;
    expect(init.credentials).toBe("same-origin");
  });

  it("turns {message, errors} into an ApiError with the status and field messages", async () => {
    fakeApi({
      "POST /api/v1/x/me/tokens": failure(422, "The given data was invalid: The name field must not be empty.", {
        name: ["The name field must not be empty."],
      }),
    });
    const error = await api.post("/x/me/tokens", { name: "" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.message).toBe("The given data was invalid: The name field must not be empty.");
    expect(apiError.field("name")).toBe("The name field must not be empty.");
    expect(apiError.field("other")).toBeUndefined();
  });

  it("reads Retry-After of a 429", async () => {
    fakeApi({
      "POST /api/v1/x/auth/sign-in": failure(429, "Too many failed sign-ins.", undefined, { "retry-after": "120" }),
    });
    const error = (await api.post("/x/auth/sign-in", {}).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(120);
    expect(retryAfter("Wed, 21 Oct 2015 07:28:30 GMT", Date.parse("2015-10-21T07:28:00Z"))).toBe(30);
    expect(retryAfter("soon")).toBeNull();
  });

  it("describes answers that are not the API's JSON by their status", async () => {
    vi.stubGlobal(
      "fetch",
      async () => new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    );
    const error = (await api.get("/projects").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.message).toBe("The server answered 502 Bad Gateway.");
  });

  it("reports an unreachable server as status 0", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    const error = (await api.get("/projects").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/cannot be reached/);
  });

  it("calls the 401 handler (the app goes to sign-in), except where the caller handles 401 itself", async () => {
    fakeApi({
      "GET /api/v1/projects": failure(401, "Your session has ended. Sign in again."),
      "GET /api/v1/x/auth/session": failure(401, "Not signed in."),
    });
    const handler = vi.fn();
    onUnauthorized(handler);
    await expect(api.get("/projects")).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledTimes(1);
    await expect(api.get("/x/auth/session", { redirectOn401: false })).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
