import { open } from "node:fs/promises";
import { extname } from "node:path";
import { TextDecoder } from "node:util";
import { detectEncoding } from "./encoding.js";

/** Extensions Testmo's CLI accepts (cli.md §5.2), compared lower-cased. */
export const JUNIT_EXTENSIONS: readonly string[] = [
  ".junit",
  ".log",
  ".report",
  ".reports",
  ".result",
  ".results",
  ".xml",
];

/**
 * How much of a file the content check reads. Testmo reads the whole file and
 * looks for `<testsuite` anywhere. We look only in the first 64 KiB, a
 * deliberate, documented difference: detection stays O(1) on a 500 MB file,
 * and every real JUnit report opens its first `<testsuite`/`<testsuites` in
 * its first few hundred bytes. What we lose is a build `.log` that mentions
 * `<testsuite` deep inside, which Testmo then tries to parse as XML and fails
 * on (W13); skipping it is the better outcome.
 */
export const DETECTION_WINDOW_BYTES = 64 * 1024;

export type JUnitDetection =
  | { isJUnit: true; encoding: string }
  | { isJUnit: false; reason: "extension" | "content"; encoding?: string };

export function hasJUnitExtension(path: string): boolean {
  return JUNIT_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** The content rule: the case-sensitive substring `<testsuite` (which also matches `<testsuites`). */
export function looksLikeJUnit(text: string): boolean {
  return text.includes("<testsuite");
}

/** Decides, like Testmo's CLI, whether a result file is parsed or silently skipped. */
export async function detectJUnitFile(path: string): Promise<JUnitDetection> {
  if (!hasJUnitExtension(path)) return { isJUnit: false, reason: "extension" };
  const head = await readHead(path, DETECTION_WINDOW_BYTES);
  const { encoding } = detectEncoding(head);
  // Not streaming: a character cut at the window's end only loses that character.
  const text = new TextDecoder(encoding).decode(head);
  return looksLikeJUnit(text) ? { isJUnit: true, encoding } : { isJUnit: false, reason: "content", encoding };
}

async function readHead(path: string, size: number): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
