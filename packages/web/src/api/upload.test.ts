import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, onUnauthorized, setCsrfToken } from "./client";
import { uploadFile } from "./upload";

/** Enough of XMLHttpRequest to play the server's part: each test answers the request it sent. */
class FakeXhr {
  static last: FakeXhr;
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  statusText = "";
  responseText = "";
  withCredentials = false;
  responseHeaders: Record<string, string> = {};
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name] ?? null;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  answer(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.status = status;
    this.responseText = typeof body === "string" ? body : JSON.stringify(body);
    this.responseHeaders = headers;
    this.onload?.();
  }
}

describe("uploadFile", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
    onUnauthorized(null);
  });
  const file = () => new File(["png bytes"], "shot.png", { type: "image/png" });

  it("posts the file as multipart with the CSRF header, reports progress and resolves with the answer", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    setCsrfToken("csrf-1");
    const progress: number[] = [];
    const upload = uploadFile<{ result: { id: number } }>("/x/sessions/4/attachments", file(), {
      onProgress: (fraction) => progress.push(fraction),
    });
    const xhr = FakeXhr.last;
    expect([xhr.method, xhr.url, xhr.headers["x-csrf-token"], xhr.withCredentials]).toEqual([
      "POST",
      "/api/v1/x/sessions/4/attachments",
      "csrf-1",
      true,
    ]);
    expect((xhr.body!.get("file") as File).name).toBe("shot.png");
    xhr.upload.onprogress!({ lengthComputable: true, loaded: 5, total: 10 });
    xhr.answer(201, { result: { id: 9 } });
    await expect(upload.done).resolves.toEqual({ result: { id: 9 } });
    expect(progress).toEqual([0.5]);
  });

  it("turns the error contract into an ApiError with field messages and Retry-After", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    const upload = uploadFile("/cases/1/attachments/single", file());
    FakeXhr.last.answer(422, { message: "The file is too large.", errors: { file: ["At most 10 MB."] } });
    const error = await upload.done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect([(error as ApiError).status, (error as ApiError).message, (error as ApiError).field("file")]).toEqual([
      422,
      "The file is too large.",
      "At most 10 MB.",
    ]);
    const busy = uploadFile("/cases/1/attachments/single", file());
    FakeXhr.last.answer(503, "<html>busy</html>", { "retry-after": "7" });
    const unavailable = (await busy.done.catch((e: unknown) => e)) as ApiError;
    expect([unavailable.status, unavailable.retryAfterSeconds]).toEqual([503, 7]);
  });

  it("sends the user to sign in on a 401, and says so when the server cannot be reached or the upload is cancelled", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    const signIn = vi.fn();
    onUnauthorized(signIn);
    const expired = uploadFile("/x/run-results/1/attachments", file());
    FakeXhr.last.answer(401, { message: "Sign in again." });
    await expect(expired.done).rejects.toMatchObject({ status: 401 });
    expect(signIn).toHaveBeenCalledTimes(1);

    const offline = uploadFile("/x/run-results/1/attachments", file());
    FakeXhr.last.onerror?.();
    await expect(offline.done).rejects.toMatchObject({
      status: 0,
      message: expect.stringContaining("cannot be reached"),
    });

    const cancelled = uploadFile("/x/run-results/1/attachments", file());
    cancelled.abort();
    await expect(cancelled.done).rejects.toMatchObject({ message: "The upload was cancelled." });
  });
});
