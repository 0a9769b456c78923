import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import { createUserWithToken, startServerProcess, type TestServer } from "../../test-support/server-process.js";

/** `/api/v1/x/tokens` (Assay's extension): administrators see and revoke every user's API tokens. */
describe.each(BACKENDS)("x-tokens on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  it("lists every user's active tokens without their secret, and filters by user", async () => {
    const bot = await api.post("/x/users", { email: "bot@example.com", name: "Bot", is_api: true, token_name: "CI" });
    const all = await api.get("/x/tokens");
    expect(all.status).toBe(200);
    expect(all.body.result.map((t: { user_id: number }) => t.user_id).sort()).toEqual([1, bot.body.id]);
    const mine = await api.get(`/x/tokens?user_id=${bot.body.id}`);
    expect(mine.body.result).toEqual([
      {
        id: expect.any(Number),
        user_id: bot.body.id,
        user_name: "Bot",
        name: "CI",
        created_at: expect.any(String),
        last_used_at: null,
      },
    ]);
    expect(JSON.stringify(all.body)).not.toContain(bot.body.token);
    expect((await api.get("/x/tokens?user_id=0")).status).toBe(422);
  });

  it("revokes another user's token: it gets 401 and leaves the list; a revoked one again is no error", async () => {
    const bot = await api.post("/x/users", { email: "bot2@example.com", name: "Bot 2", token_name: "CI" });
    expect((await api.get("/user", { token: bot.body.token })).status).toBe(200);
    const [token] = (await api.get(`/x/tokens?user_id=${bot.body.id}`)).body.result;
    expect((await api.request("DELETE", `/x/tokens/${token.id}`)).status).toBe(204);
    expect((await api.get("/user", { token: bot.body.token })).status).toBe(401);
    expect((await api.get(`/x/tokens?user_id=${bot.body.id}`)).body.result).toEqual([]);
    expect((await api.request("DELETE", `/x/tokens/${token.id}`)).status).toBe(204);
    expect((await api.request("DELETE", "/x/tokens/9999")).status).toBe(404);
  });

  it("answers 403 to non-administrators", async () => {
    const tester = await createUserWithToken(server, "tester@example.com", "tester");
    expect((await api.get("/x/tokens", { token: tester })).status).toBe(403);
    const revoke = await api.request("DELETE", "/x/tokens/1", { token: tester });
    expect(revoke.status).toBe(403);
    expect(revoke.body.message).toContain("Only administrators");
    expect((await api.get("/user")).status).toBe(200);
  });
});
