import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** The part of fetch's Headers the client reads; node:http's answers need not build one. */
export interface AnswerHeaders {
  get(name: string): string | null;
}

/** A response with its body read. */
export interface Answer {
  status: number;
  ok: boolean;
  headers: AnswerHeaders;
  text: string;
}

export interface SendOptions {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  signal: AbortSignal;
}

const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 4 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 4 }),
};

/**
 * One request through node:http(s) with keep-alive. Used instead of the built-in fetch when no
 * proxy is involved: fetch turns each body into a fresh ArrayBuffer and a web stream, garbage
 * that outlived V8's young generation and added ~40 MB to the peak RSS of a 100,000-test
 * upload (bench/cli-upload.bench.js). Errors are Node's own (`connect ECONNREFUSED …`, TLS
 * codes), the same that fetch reports in its `cause`.
 */
export function sendWithNodeHttp(url: string, options: SendOptions): Promise<Answer> {
  const target = new URL(url);
  const secure = target.protocol === "https:";
  const headers: Record<string, string | number> = { ...options.headers };
  if (options.body !== undefined) {
    headers["Content-Length"] =
      typeof options.body === "string" ? Buffer.byteLength(options.body) : options.body.byteLength;
  }
  return new Promise<Answer>((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(
      target,
      { method: options.method, headers, agent: secure ? agents.https : agents.http, signal: options.signal },
      (response) => readAnswer(response).then(resolve, reject),
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

async function readAnswer(response: IncomingMessage): Promise<Answer> {
  response.setEncoding("utf8");
  let text = "";
  for await (const chunk of response) text += chunk;
  const status = response.statusCode ?? 0;
  // Not a fetch Headers: creating the first one loads Node's fetch implementation, about 20 ms of startup.
  const received = response.headers;
  const headers: AnswerHeaders = {
    get(name) {
      const value = received[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
  return { status, ok: status >= 200 && status < 300, headers, text };
}
