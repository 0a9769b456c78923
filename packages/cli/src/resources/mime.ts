import { extname } from "node:path";

/**
 * The MIME types of the artifacts people attach to test runs. Testmo uses the mime-types
 * package; a full database is not worth a dependency for a single optional key, and an
 * unknown extension simply leaves `mimeType` out, as Testmo does.
 */
const MIME_TYPES: Record<string, string> = {
  ".7z": "application/x-7z-compressed",
  ".avi": "video/x-msvideo",
  ".bmp": "image/bmp",
  ".csv": "text/csv",
  ".gif": "image/gif",
  ".gz": "application/gzip",
  ".htm": "text/html",
  ".html": "text/html",
  ".jpeg": "image/jpeg",
  ".jpg": "image/jpeg",
  ".js": "application/javascript",
  ".json": "application/json",
  ".log": "text/plain",
  ".md": "text/markdown",
  ".mov": "video/quicktime",
  ".mp4": "video/mp4",
  ".pdf": "application/pdf",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".tar": "application/x-tar",
  ".txt": "text/plain",
  ".webm": "video/webm",
  ".webp": "image/webp",
  ".xml": "application/xml",
  ".yaml": "text/yaml",
  ".yml": "text/yaml",
  ".zip": "application/zip",
};

export function mimeTypeFor(path: string): string | undefined {
  return MIME_TYPES[extname(path).toLowerCase()];
}
