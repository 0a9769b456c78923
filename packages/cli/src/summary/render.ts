import type { ComparedTest, ComparisonCategory, RunComparison } from "@assay/api";

/** The web UI's address of a run. */
export function runAddress(origin: string, runId: number): string {
  return `${origin}/automation/runs/${runId}`;
}

const CATEGORY_LABELS: Record<ComparisonCategory, string> = {
  new_failures: "New failures",
  still_failing: "Still failing",
  fixed: "Fixed",
  new_tests: "New tests",
  gone_tests: "Gone tests",
  slower: "Slower",
};

const BASELINE_RULES: Record<string, string> = {
  requested: "the requested run",
  same_branch_and_config: "latest completed run of the same source, branch and configuration",
  same_source: "latest completed run of the same source",
};

/** Lists printed, in this order, each with up to the endpoint's `limit` tests; the only ones asked for. */
export const LISTED: readonly ComparisonCategory[] = ["new_failures", "fixed", "slower"];

/** Test names, folders and messages come from test reports: untrusted and unbounded. */
const NAME_CHARS = 200;
const FOLDER_CHARS = 120;
const MESSAGE_CHARS = 200;

function clip(text: string, limit: number): string {
  const chars = [...text];
  return chars.length > limit ? `${chars.slice(0, limit - 1).join("")}…` : text;
}

/** One line of text without control characters (no terminal escapes, no line breaks). */
export function singleLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
}

function firstLine(text: string | null | undefined): string {
  return singleLine((text ?? "").split(/\r?\n/, 1)[0] ?? "");
}

/** 850 µs → "0.85 ms"; 12 300 µs → "12 ms"; 2.5 s → "2.50 s"; 75 s → "1 min 15 s". */
export function formatDuration(micros: number | null | undefined): string {
  if (micros === null || micros === undefined || !Number.isFinite(micros)) return "?";
  const ms = micros / 1000;
  if (ms < 10) return `${Number(ms.toFixed(2))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(2)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

interface TestParts {
  folder: string;
  name: string;
  message: string;
  durations: string;
  quarantined: boolean;
}

function testParts(test: ComparedTest, category: ComparisonCategory): TestParts {
  return {
    folder: clip(singleLine(test.folder ?? ""), FOLDER_CHARS),
    name: clip(singleLine(test.name), NAME_CHARS),
    message: category === "new_failures" ? clip(firstLine(test.message), MESSAGE_CHARS) : "",
    durations:
      category === "slower" ? `${formatDuration(test.baseline_elapsed)} → ${formatDuration(test.elapsed)}` : "",
    quarantined: category === "new_failures" && test.is_quarantined === true,
  };
}

function describeBaseline(comparison: RunComparison): string {
  const { baseline, baseline_rule: rule } = comparison;
  if (!baseline) return "no baseline (no earlier completed run to compare with)";
  const how = BASELINE_RULES[rule] ? `, ${BASELINE_RULES[rule]}` : "";
  return `run ${baseline.id} "${clip(singleLine(baseline.name), NAME_CHARS)}"${how}`;
}

function describeFailures(comparison: RunComparison): string {
  const { total, quarantined } = comparison.failures;
  return `${total}${quarantined > 0 ? ` (${quarantined} quarantined)` : ""}`;
}

/** The summary printed on stdout after an upload. */
export function summaryLines(comparison: RunComparison, address: string): string[] {
  const counts = comparison.counts;
  const lines = [
    `Run: ${address}`,
    `Baseline: ${describeBaseline(comparison)}`,
    `Counts: new failures ${counts.new_failures}, still failing ${counts.still_failing}, fixed ${counts.fixed}, ` +
      `new tests ${counts.new_tests}, gone tests ${counts.gone_tests}, slower ${counts.slower}`,
    `Failed tests: ${describeFailures(comparison)}`,
  ];
  for (const category of LISTED) {
    const tests = comparison.tests[category];
    if (tests.length === 0) continue;
    lines.push(`${CATEGORY_LABELS[category]}:`);
    for (const test of tests) {
      const p = testParts(test, category);
      const label = p.folder ? `${p.folder} › ${p.name}` : p.name;
      lines.push(
        `  ${label}${p.durations ? `: ${p.durations}` : ""}${p.message ? ` — ${p.message}` : ""}` +
          (p.quarantined ? " [quarantined]" : ""),
      );
    }
    const more = counts[category] - tests.length;
    if (more > 0) lines.push(`  … and ${more} more`);
  }
  return lines;
}

// ---------------------------------------------------------------- Markdown (GITHUB_STEP_SUMMARY)

const HTML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/**
 * Text from test reports as inert Markdown: no HTML (`<`, `>`, `&`, `"` become entities), no
 * formatting, links, images, tables, headings, lists, math or autolinks (every ASCII
 * punctuation character with a meaning in GFM is backslash-escaped, which CommonMark allows for
 * any punctuation; `:` and `.` break `http://` and `www.` autolinks), on one line.
 */
export function escapeMarkdown(text: string): string {
  return singleLine(text).replace(/[!"#$&()*+\-.:<=>@[\\\]^_`{|}~]/g, (char) => HTML_ENTITIES[char] ?? `\\${char}`);
}

/** The step summary is bounded whatever the reports hold (GitHub refuses more than 1 MiB per step). */
export const MARKDOWN_BUDGET = 64 * 1024;

function markdownTest(test: ComparedTest, category: ComparisonCategory): string {
  const p = testParts(test, category);
  const label = p.folder ? `${escapeMarkdown(p.folder)} › ${escapeMarkdown(p.name)}` : escapeMarkdown(p.name);
  return (
    `- ${label}` +
    (p.durations ? `: ${p.durations}` : "") +
    (p.message ? ` — ${escapeMarkdown(p.message)}` : "") +
    (p.quarantined ? " _(quarantined)_" : "")
  );
}

/** The job summary: a heading linking to the run, the baseline, a table of counts, then the lists. */
export function summaryMarkdown(comparison: RunComparison, origin: string): string {
  const { run, baseline, counts } = comparison;
  const out: string[] = [
    `### Assay: [${escapeMarkdown(clip(run.name, NAME_CHARS))} (run ${run.id})](${runAddress(origin, run.id)})`,
    "",
    baseline
      ? `Compared with [${escapeMarkdown(clip(baseline.name, NAME_CHARS))} (run ${baseline.id})](${runAddress(origin, baseline.id)})` +
        (BASELINE_RULES[comparison.baseline_rule] ? `, the ${BASELINE_RULES[comparison.baseline_rule]}.` : ".")
      : "No baseline: there is no earlier completed run to compare with.",
    "",
    `| ${Object.values(CATEGORY_LABELS).join(" | ")} | Failed tests |`,
    `|${" ---: |".repeat(Object.keys(CATEGORY_LABELS).length + 1)}`,
    `| ${Object.keys(CATEGORY_LABELS)
      .map((category) => counts[category as ComparisonCategory])
      .join(" | ")} | ${describeFailures(comparison)} |`,
  ];
  let size = out.join("\n").length;
  let cut = false;
  for (const category of LISTED) {
    const tests = comparison.tests[category];
    if (tests.length === 0 || cut) continue;
    const heading = ["", `#### ${CATEGORY_LABELS[category]}`, ""];
    out.push(...heading);
    size += heading.join("\n").length + 1;
    let shown = 0;
    for (const test of tests) {
      const line = markdownTest(test, category);
      if (size + line.length + 1 > MARKDOWN_BUDGET) {
        cut = true;
        break;
      }
      out.push(line);
      size += line.length + 1;
      shown++;
    }
    const more = counts[category] - shown;
    if (more > 0) out.push(`- … and ${more} more`);
  }
  if (cut) out.push("", "_The summary was shortened to stay small._");
  return `${out.join("\n")}\n`;
}

/** What the job summary says when the comparison could not be fetched. */
export function unavailableMarkdown(origin: string, runId: number, reason: string): string {
  return `### Assay: [run ${runId}](${runAddress(origin, runId)})\n\nSummary unavailable: ${escapeMarkdown(clip(reason, 500))}\n`;
}
