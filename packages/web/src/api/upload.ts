import { ApiError, buildUrl, errorFromBody, getCsrfToken, reportUnauthorized } from "./client";

/** A file on its way up: its answer, and a way to cancel it. */
export interface Upload<T> {
  done: Promise<T>;
  abort: () => void;
}

export interface UploadOptions {
  /** 0–1 as the bytes leave the browser. */
  onProgress?: (fraction: number) => void;
  /** The form field the endpoint reads (Testmo's attachment endpoints: `file`, or `files[]` for several). */
  field?: string;
}

const UNREACHABLE = "The server cannot be reached. Check your connection, then try again.";

/**
 * Sends one file as multipart/form-data to an API path, as every upload page does: case attachments,
 * result screenshots, session files. XMLHttpRequest rather than the client's fetch because only it
 * reports upload progress; otherwise it behaves like `api.post`: the session cookie, the CSRF header,
 * the error contract as an ApiError (field messages included), and a 401 sends the user to sign in.
 */
export function uploadFile<T>(path: string, file: File, options: UploadOptions = {}): Upload<T> {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open("POST", buildUrl(path));
    xhr.withCredentials = true;
    xhr.setRequestHeader("accept", "application/json");
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader("x-csrf-token", csrf);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve((xhr.responseText === "" ? undefined : JSON.parse(xhr.responseText)) as T);
        return;
      }
      const error = errorFromBody(xhr.status, xhr.statusText, xhr.responseText, xhr.getResponseHeader("retry-after"));
      if (error.status === 401) reportUnauthorized();
      reject(error);
    };
    xhr.onerror = () => reject(new ApiError(0, UNREACHABLE));
    xhr.onabort = () => reject(new ApiError(0, "The upload was cancelled."));
    const form = new FormData();
    form.append(options.field ?? "file", file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
