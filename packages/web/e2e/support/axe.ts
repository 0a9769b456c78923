import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

/** axe-core's browser build, injected into pages under test. */
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Served by the test (page.route), never by the server: a same-origin URL the strict CSP allows. */
const AXE_PATH = "/__e2e__/axe.min.js";

interface AxeViolation {
  id: string;
  impact: "minor" | "moderate" | "serious" | "critical" | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core on the page as it is and returns its serious and critical violations as readable lines.
 *
 * The UI's CSP (`script-src 'self'`) forbids inline scripts, so `page.addScriptTag({content})` would be
 * blocked. Instead the test intercepts a same-origin path with `page.route` and answers it with axe's
 * source; `addScriptTag({url})` then loads it like any of the app's own scripts. The page keeps its real
 * CSP (no `bypassCSP`), so these tests also prove the UI works under it.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.route(`**${AXE_PATH}`, (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: AXE_SOURCE }),
  );
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.addScriptTag({ url: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<unknown> } }).axe;
    const results = (await axe.run(document, { resultTypes: ["violations"] })) as { violations: unknown[] };
    return results.violations;
  });
  return (violations as AxeViolation[])
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.impact}: ${violation.id} (${violation.help}) at ${violation.nodes
          .slice(0, 5)
          .map((node) => JSON.stringify(node.target))
          .join(", ")}`,
    );
}
