/**
 * MIME types for artifact URLs, by extension. Testmo uses the mime-types
 * package; this small table gives the same answers for the files test tools
 * actually attach (screenshots, videos, traces, logs, reports) without the
 * 200 KB database. Unknown extensions get no `mime_type`, as with Testmo.
 */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  bmp: "image/bmp",
  tif: "image/tiff",
  tiff: "image/tiff",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  avi: "video/x-msvideo",
  mp3: "audio/mpeg",
  txt: "text/plain",
  log: "text/plain",
  text: "text/plain",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  csv: "text/csv",
  md: "text/markdown",
  yaml: "text/yaml",
  yml: "text/yaml",
  js: "application/javascript",
  json: "application/json",
  xml: "application/xml",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  tar: "application/x-tar",
  "7z": "application/x-7z-compressed",
};

/** Looks the extension of the last path segment up, case-insensitively. */
export function mimeTypeFor(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf(".");
  if (dot < 0) return undefined;
  return MIME_BY_EXTENSION[fileName.slice(dot + 1).toLowerCase()];
}
