import { createServer, request, type Server } from "node:http";
import { connect, type Socket } from "node:net";

export interface RelayedRequest {
  /** `CONNECT` for a tunnel, otherwise the forwarded request's method */
  method: string;
  /** `host:port` of a tunnel, or the absolute URL of a forwarded request */
  target: string;
  proxyAuthorization: string | undefined;
}

/**
 * A small forward proxy, like a corporate one: absolute-form requests are forwarded and
 * CONNECT opens a tunnel. With `credentials` ("user:pass") it answers 407 to anything
 * without the matching `Proxy-Authorization: Basic`. It records what it relays.
 */
export class ForwardProxy {
  readonly relayed: RelayedRequest[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly credentials?: string) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const entry = this.record(req.method ?? "GET", req.url ?? "", req.headers["proxy-authorization"]);
      if (!this.authorized(entry)) {
        res.writeHead(407, { "proxy-authenticate": 'Basic realm="test"' }).end();
        return;
      }
      const headers = { ...req.headers };
      delete headers["proxy-authorization"];
      delete headers["proxy-connection"];
      const upstream = request(entry.target, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    server.on("connect", (req, client: Socket, head: Buffer) => {
      const entry = this.record("CONNECT", req.url ?? "", req.headers["proxy-authorization"]);
      if (!this.authorized(entry)) {
        client.end("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
        return;
      }
      const [host, port] = entry.target.split(":");
      const upstream = connect(Number(port), host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      this.track(upstream);
      this.track(client);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    server.on("connection", (socket: Socket) => this.track(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    const { port } = server.address() as { port: number };
    return `127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private record(method: string, target: string, authorization: string | undefined): RelayedRequest {
    const entry = { method, target, proxyAuthorization: authorization };
    this.relayed.push(entry);
    return entry;
  }

  private authorized(entry: RelayedRequest): boolean {
    if (!this.credentials) return true;
    return entry.proxyAuthorization === `Basic ${Buffer.from(this.credentials).toString("base64")}`;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
  }
}
