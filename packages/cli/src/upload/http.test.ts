import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendWithNodeHttp } from "./http.js";

describe("sendWithNodeHttp", () => {
  const server = createServer((request, response) => {
    response.setHeader("Retry-After", "7");
    response.setHeader("Set-Cookie", ["a=1", "b=2"]);
    response.writeHead(429, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ method: request.method, body: request.headers["content-length"] }));
  });
  let url = "";

  beforeAll(async () => {
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
  });
  afterAll(() => server.close());

  it("answers status, body and headers as fetch would: any case, repeated ones joined, missing ones null", async () => {
    const answer = await sendWithNodeHttp(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"a":1}',
      signal: AbortSignal.timeout(5000),
    });
    expect(answer).toMatchObject({ status: 429, ok: false, text: '{"method":"POST","body":"7"}' });
    expect(answer.headers.get("Retry-After")).toBe("7");
    expect(answer.headers.get("retry-after")).toBe("7");
    expect(answer.headers.get("set-cookie")).toBe("a=1, b=2");
    expect(answer.headers.get("x-missing")).toBeNull();
  });
});
