import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";

/** packages/web/e2e/screenshots/ (ignored by git except a curated set listed in its .gitignore). */
export const SCREENSHOTS_DIR = fileURLToPath(new URL("../screenshots/", import.meta.url));

/** docs/screenshots/ of the repository: the curated pictures README.md shows. */
export const DOCS_SCREENSHOTS_DIR = fileURLToPath(new URL("../../../../docs/screenshots/", import.meta.url));

/**
 * Saves a PNG of the whole page (or, with `fullPage: false`, of the viewport only; with `clip`, of that
 * part of the page) as `<name>.png` for a reviewer to open; returns its path.
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean; clip?: { x: number; y: number; width: number; height: number } } = {},
): Promise<string> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({
    path: file,
    fullPage: options.fullPage ?? true,
    clip: options.clip,
    animations: "disabled",
    caret: "hide",
  });
  return file;
}

/** Copies a screenshot into docs/screenshots/ as `<name>.png`; returns the copy's path. */
export function copyToDocs(file: string, name: string): string {
  fs.mkdirSync(DOCS_SCREENSHOTS_DIR, { recursive: true });
  const copy = path.join(DOCS_SCREENSHOTS_DIR, `${name}.png`);
  fs.copyFileSync(file, copy);
  return copy;
}
