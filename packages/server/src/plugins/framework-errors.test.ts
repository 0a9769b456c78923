import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../test-support/backends.js";
import { ApiClient, type ApiResponse } from "../test-support/http.js";
import { startServerProcess, type TestServer } from "../test-support/server-process.js";

/** Sends raw bytes (what fetch refuses to send) and reads the answer until the server closes the connection. */
function rawRequest(url: string, data: string): Promise<ApiResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(data));
    let received = "";
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", body = ""] = received.split("\r\n\r\n");
      const [statusLine, ...lines] = head.split("\r\n");
      const headers = new Headers();
      for (const line of lines)
        headers.append(line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim());
      resolve({ status: Number(statusLine?.split(" ")[1]), headers, body: body ? JSON.parse(body) : null });
    });
  });
}

/** The contract: JSON `{message, errors?}`, never sniffed or cached, with the IETF RateLimit headers. */
function expectContract(res: ApiResponse, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  expect(Object.keys(res.body).filter((k) => k !== "message" && k !== "errors")).toEqual([]);
  expect(res.body.message.length).toBeGreaterThan(20);
  expectApiHeaders(res);
}

function expectApiHeaders(res: ApiResponse) {
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("ratelimit-policy")).toMatch(/^"default";q=\d+;w=\d+$/);
  expect(res.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);
}

describe.each(BACKENDS)("answers of the router and the HTTP parser on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  it("takes a path that is not valid percent-encoded UTF-8 literally: 422 for a parameter, 404 elsewhere", async () => {
    const param = await api.get("/projects/%FF%FE");
    expectContract(param, 422);
    expect(Object.keys(param.body.errors)).toEqual(["project_id"]);
    const unknown = await api.get("/no/such/%FF");
    expectContract(unknown, 404);
    expect(unknown.body.message).toContain("/api/v1/no/such/%FF");
    expectContract(await api.request("POST", "/projects/%E0%A4%A/automation/runs", { body: {} }), 422);
  });

  it("judges a path parameter longer than 100 characters by its schema: 422 naming it", async () => {
    const res = await api.get(`/projects/${"1".repeat(150)}`);
    expectContract(res, 422);
    expect(res.body.errors.project_id[0]).toContain("at most");
    expectContract(await api.post(`/automation/runs/${"x".repeat(5000)}/complete`, {}), 422);
  });

  it("answers a URL over 16 KB with a 422 naming the limit, counted against the token", async () => {
    const before = await api.get("/user");
    const res = await api.get(`/projects?name=${"a".repeat(17_000)}`);
    expectContract(res, 422);
    expect(res.body.errors.url[0]).toContain("16384");
    const remaining = (r: ApiResponse) => Number(/r=(\d+)/.exec(r.headers.get("ratelimit")!)![1]);
    expect(remaining(res)).toBe(remaining(before) - 1);
  });

  it("answers headers over 64 KiB and malformed HTTP in the contract's shape, then closes", async () => {
    const big = await rawRequest(
      server.url,
      `GET /api/v1/projects HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(70_000)}\r\n\r\n`,
    );
    expectContract(big, 422);
    expect(big.headers.get("connection")).toBe("close");
    const malformed = await rawRequest(server.url, "GET /api/v1/projects HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    expectContract(malformed, 400);
  });

  it("gives every API answer nosniff, no-store and RateLimit headers: success, 401, 404", async () => {
    expectApiHeaders(await api.get("/user"));
    expectContract(await api.get("/user", { token: null }), 401);
    expectContract(await api.get("/no/such/endpoint"), 404);
    expectContract(await api.request("GET", "/no/such/endpoint", { token: null }), 404);
  });

  it("answers HEAD like GET without a body, OPTIONS with 204 and Allow, other methods with 405", async () => {
    const get = await api.get("/projects");
    const head = await api.request("HEAD", "/projects");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
    expectApiHeaders(head);
    expect((await api.request("HEAD", "/projects", { token: null })).status).toBe(401);

    const options = await api.request("OPTIONS", "/projects/1/automation/runs", { token: null });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
    expectApiHeaders(options);

    const headPostOnly = await api.request("HEAD", "/automation/runs/1/complete");
    expect(headPostOnly.status).toBe(405);
    expect(headPostOnly.headers.get("allow")).toBe("OPTIONS, POST");
    const wrong = await api.request("DELETE", "/projects");
    expectContract(wrong, 405);
    expect(wrong.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});
