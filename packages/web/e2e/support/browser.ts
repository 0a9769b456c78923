import fs from "node:fs";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { describe, it } from "vitest";

/**
 * Chromium from the system (never a browser download): /usr/bin/chromium, or ASSAY_E2E_CHROMIUM.
 * Without it the browser tests are skipped with a message, except under CI=true, where they fail.
 */
export const CHROMIUM = process.env.ASSAY_E2E_CHROMIUM ?? "/usr/bin/chromium";
export const HAS_CHROMIUM = fs.existsSync(CHROMIUM);

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** `describe` for tests that need the browser. */
export function describeInBrowser(name: string, body: () => void): void {
  if (HAS_CHROMIUM) {
    describe(name, body);
  } else if (process.env.CI === "true") {
    describe(name, () => {
      it("needs Chromium", () => {
        throw new Error(
          `${CHROMIUM} is missing, and CI=true requires the browser tests: install it (apt-get install -y chromium).`,
        );
      });
    });
  } else {
    console.warn(
      `Skipping the browser tests "${name}": ${CHROMIUM} is missing (apt-get install chromium, or set ASSAY_E2E_CHROMIUM).`,
    );
    describe.skip(`${name} (skipped: no Chromium at ${CHROMIUM})`, body);
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Content-Security-Policy violations and uncaught errors seen so far (tests expect none). */
  problems: string[];
}

/**
 * A fresh context (own cookies) and page at 1280×800 that records CSP violations, uncaught exceptions
 * and console errors, so a test can check that the strict CSP blocked nothing the UI needs.
 */
export async function openPage(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, ...options });
  // Runs in the page before its scripts (through the DevTools protocol: not subject to the page's CSP).
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
    });
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    const text = message.text();
    // 401s of the session check are expected while signed out; the browser logs failed requests
    if (message.type() === "error" && !/Failed to load resource/.test(text)) problems.push(text);
  });
  return { context, page, problems };
}
