import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxiedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
}

/**
 * What the proxy does with one request:
 * - "forward": pass it to the server and its answer back;
 * - "forward-then-drop": pass it to the server (which applies it), then cut the client's
 *   connection instead of answering: the client must retry a request that already happened;
 * - an answer of its own (e.g. 429 or 503) without bothering the server.
 */
export type ProxyAction = "forward" | "forward-then-drop" | { status: number; headers?: Record<string, string> };

/** An HTTP proxy in front of the real server that injects faults, for e2e tests. */
export class FaultProxy {
  readonly seen: (ProxiedRequest & { action: string })[] = [];
  private server: Server | undefined;

  constructor(
    private readonly upstream: string,
    private readonly decide: (request: ProxiedRequest, index: number) => ProxyAction,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const proxied: ProxiedRequest = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        idempotencyKey: req.headers["idempotency-key"] as string | undefined,
      };
      const action = this.decide(proxied, this.seen.length);
      this.seen.push({ ...proxied, action: typeof action === "string" ? action : String(action.status) });
      if (typeof action === "object") {
        req.resume();
        res.writeHead(action.status, { "content-type": "application/json", ...action.headers });
        res.end(JSON.stringify({ message: `injected ${action.status}` }));
        return;
      }
      this.forward(req, (status, headers, body) => {
        if (action === "forward-then-drop") {
          req.socket.destroy();
          return;
        }
        res.writeHead(status, headers);
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private forward(
    req: IncomingMessage,
    done: (status: number, headers: IncomingMessage["headers"], body: Buffer) => void,
  ): void {
    const target = new URL(req.url ?? "/", this.upstream);
    const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done(res.statusCode ?? 502, res.headers, Buffer.concat(chunks)));
    });
    upstream.on("error", () => req.socket.destroy());
    req.pipe(upstream);
  }
}
