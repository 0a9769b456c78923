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
  /**
   * What GET /x/projects/{id}/permissions reports as allowed (Assay's role check); undefined:
   * 404, as Testmo, which has no such read.
   */
  allowed: string[] | undefined = ["view", "automation", "results", "repository"];
  /** Runs GET /automation/runs/{id} reports as completed. */
  readonly completedRuns = new Set<number>();

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
    this.completedRuns.clear();
    this.allowed = ["view", "automation", "results", "repository"];
    this.nextId = 1;
  }

  /** The reads the CLI checks access with before running anything (commands/preflight.ts). */
  private preflightAnswer(path: string): { status: number; body: unknown } | undefined {
    if (path === "/user") return { status: 200, body: { id: 1, name: "CI" } };
    const project = /^\/projects\/(\d+)$/.exec(path);
    if (project) return { status: 200, body: { result: { id: Number(project[1]), name: "Project" } } };
    const run = /^\/automation\/runs\/(\d+)$/.exec(path);
    if (run) {
      const id = Number(run[1]);
      return { status: 200, body: { result: { id, project_id: 1, is_completed: this.completedRuns.has(id) } } };
    }
    const permissions = /^\/x\/projects\/(\d+)\/permissions$/.exec(path);
    if (permissions) {
      if (!this.allowed) return { status: 404, body: { message: "Not found." } };
      return { status: 200, body: { result: { project_id: Number(permissions[1]), allowed: this.allowed } } };
    }
    return undefined;
  }

  /** Requests other than the access checks (GET /user, /projects/{id}, /automation/runs/{id}, permissions), in order. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET" || !this.preflightAnswer(r.path));
  }

  /** Paths of the requests other than the access checks. */
  paths(): string[] {
    return this.writes().map((r) => r.path);
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
      const preflight = this.preflightAnswer(request.path);
      if (preflight) {
        res.writeHead(preflight.status, { "content-type": "application/json" });
        res.end(JSON.stringify(preflight.body));
        return;
      }
      const found = this.comparison !== undefined && /^\/x\/automation\/runs\/\d+\/comparison(\?|$)/.test(request.path);
      res.writeHead(found ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(found ? { result: this.comparison } : { message: "Not found" }));
      return;
    }
    res.writeHead(204);
    res.end();
  }
}
