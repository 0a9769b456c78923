import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
  /** The request was answered by a fault, not applied. */
  faulted: boolean;
}

/** Decides the answer to one request; return undefined to let the fake answer normally. */
export type Fault = (request: RecordedRequest, index: number) => FaultAnswer | undefined;
export type FaultAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | "drop";

/**
 * A tiny in-process stand-in for the server: answers the automation endpoints with ids,
 * records every request, and can be told to fail some of them. For unit tests of the client
 * and commands; the e2e tests use the real server.
 */
export class FakeApi {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private nextId = 1;
  fault: Fault | undefined;
  /** Answer of GET /x/automation/runs/{id}/comparison (`{result: …}`); unset: 404, as a server without the endpoint. */
  comparison: unknown;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Tests in all thread appends that reached the handler (faults excluded). */
  appendedTests(): unknown[] {
    return this.requests
      .filter((r) => !r.faulted && r.path.endsWith("/append") && r.path.includes("/threads/"))
      .flatMap((r) => (r.body as { tests?: unknown[] }).tests ?? []);
  }

  /** Forgets requests and faults; ids start again at 1. */
  reset(): void {
    this.requests.length = 0;
    this.fault = undefined;
    this.comparison = undefined;
    this.nextId = 1;
  }

  paths(): string[] {
    return this.requests.map((r) => r.path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const request: RecordedRequest = {
      method: req.method ?? "",
      path: (req.url ?? "").replace(/^\/api\/v1/, ""),
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
      faulted: false,
    };
    const answer = this.fault?.(request, this.requests.length);
    request.faulted = answer !== undefined;
    this.requests.push(request);
    if (answer === "drop") {
      req.socket.destroy();
      return;
    }
    if (answer) {
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
      return;
    }
    if (/\/automation\/runs$/.test(request.path) || /\/threads$/.test(request.path)) {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: this.nextId++ }));
      return;
    }
    if (request.method === "GET") {
      const found = this.comparison !== undefined && /^\/x\/automation\/runs\/\d+\/comparison(\?|$)/.test(request.path);
      res.writeHead(found ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(found ? { result: this.comparison } : { message: "Not found" }));
      return;
    }
    res.writeHead(204);
    res.end();
  }
}
