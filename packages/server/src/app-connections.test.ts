import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./test-support/http.js";
import { startServerProcess, type TestServer } from "./test-support/server-process.js";

interface SlowClient {
  /** what the server sent back */
  received(): string;
  /** resolves when the server closed the connection */
  closed: Promise<void>;
  /** bytes written before the connection was closed */
  sent(): number;
  stop(): void;
}

/** Opens a connection, writes `head`, then one byte of `drip` at a time every `everyMs`, until closed. */
function slowClient(url: string, head: string, drip: string, everyMs: number): SlowClient {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let received = "";
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  socket.on("data", (chunk) => {
    received += chunk.toString();
  });
  socket.on("error", () => {});
  socket.on("connect", () => {
    socket.write(head);
    timer = setInterval(() => {
      if (!socket.writable) return;
      socket.write(drip[sent % drip.length]!);
      sent++;
    }, everyMs);
  });
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  void closed.then(() => clearInterval(timer));
  return {
    received: () => received,
    closed,
    sent: () => sent,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

function openIdle(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => resolve(socket));
    socket.on("error", reject);
  });
}

describe("slow and idle clients are cut off; the others are served", () => {
  let server: TestServer;
  let api: ApiClient;
  const clients: SlowClient[] = [];

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        ASSAY_REQUEST_TIMEOUT_SECONDS: "3",
        ASSAY_HEADERS_TIMEOUT_SECONDS: "2",
        ASSAY_KEEP_ALIVE_TIMEOUT_SECONDS: "1",
      },
    });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(async () => {
    for (const client of clients) client.stop();
    await server?.stop();
  });

  it("closes a request whose body trickles in, with or without a token, while other clients get answers", async () => {
    const post = (authorization: string) =>
      `POST /api/v1/projects/1/automation/runs HTTP/1.1\r\nHost: x\r\n${authorization}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"name":"`;
    const anonymous = slowClient(server.url, post(""), "a", 200);
    const withToken = slowClient(server.url, post(`Authorization: Bearer ${server.token}\r\n`), "a", 200);
    clients.push(anonymous, withToken);
    const answered: number[] = [];
    for (let i = 0; i < 5; i++) answered.push((await api.get("/user")).status);
    expect(answered).toEqual([200, 200, 200, 200, 200]);

    await Promise.all([anonymous.closed, withToken.closed]);
    expect(anonymous.sent()).toBeLessThan(100_000);
    expect(anonymous.received()).toMatch(/^HTTP\/1\.1 401 /);
    expect(withToken.received()).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(withToken.received().split("\r\n\r\n")[1]!);
    expect(body.message).toContain("did not arrive in time");
    expect(withToken.received()).toContain("x-content-type-options: nosniff");
    expect(withToken.received()).toMatch(/ratelimit: "default";r=\d+;t=\d+/);
    expect((await api.get("/user")).status).toBe(200);
  });

  it("closes a connection whose headers trickle in", async () => {
    const client = slowClient(server.url, "GET /api/v1/user HTTP/1.1\r\nHost: x\r\n", "X-Slow: y\r\n", 100);
    clients.push(client);
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("closes an idle keep-alive connection", async () => {
    const socket = await openIdle(server.url);
    const closed = new Promise((resolve) => socket.on("close", resolve));
    const answer = new Promise<string>((resolve) => socket.once("data", (chunk) => resolve(chunk.toString())));
    socket.write(`GET /api/v1/user HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
    expect(await answer).toMatch(/^HTTP\/1\.1 200 .*keep-alive/s);
    await closed;
  });
});

describe("ASSAY_MAX_CONNECTIONS", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServerProcess({ env: { ASSAY_MAX_CONNECTIONS: "3" } });
  });
  afterAll(() => server?.stop());

  it("closes connections beyond the cap at once and accepts new ones when others end", async () => {
    const open = [await openIdle(server.url), await openIdle(server.url), await openIdle(server.url)];
    const { hostname, port } = new URL(server.url);
    const extra = net.connect(Number(port), hostname);
    let received = "";
    extra.on("data", (chunk) => {
      received += chunk.toString();
    });
    extra.on("error", () => {});
    extra.on("connect", () => extra.write("GET /api/v1/user HTTP/1.1\r\nHost: x\r\n\r\n"));
    await new Promise((resolve) => extra.on("close", resolve));
    expect(received).toBe("");

    for (const socket of open) socket.destroy();
    const api = new ApiClient(server.url, server.token);
    let status = 0;
    // The server notices the closed sockets asynchronously: try until it has.
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = await api.get("/user").then(
        (res) => res.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });
});
