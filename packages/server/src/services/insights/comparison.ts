import { COMPARISON_CATEGORIES, type ComparedTest, type ComparisonCategory } from "@assay/api";
import type { AppContext } from "../../context.js";
import { invalidField, NotFoundError } from "../../errors.js";
import type { RunRow } from "../../storage/repositories/automation.js";
import { findRun } from "../../storage/repositories/automation.js";
import {
  type ComparisonTestReader,
  comparisonTestReader,
  type NarrowTestRow,
  type TestDetails,
  type TestName,
} from "../../storage/repositories/comparison-tests.js";
import { type ComparisonTestRow, findBaselineRun, quarantinedCases } from "../../storage/repositories/insight-runs.js";

/**
 * Run comparison (docs/analytics.md, "Run comparison"): a run against its
 * baseline, test identity by test identity. The merge is pure and runs in
 * memory over the two runs' test rows, so its cost grows with the size of the
 * runs, never with the project's history. It works in three steps so that
 * only the rows that matter are read wide: classify every test on narrow rows
 * (ids, status, elapsed), pick the tests each category lists (names only of
 * the candidates of a category that has more than `limit`), then describe the
 * listed ones.
 */

/** "Markedly slower": at least this many times the baseline's elapsed… */
export const SLOWER_RATIO = 1.5;
/** …and at least this much longer (µs), so tiny tests' jitter is not reported. */
export const SLOWER_MIN_MICROS = 100_000;

export type Counts = Record<ComparisonCategory, number>;

export interface ComparisonFigures {
  counts: Counts;
  failures: { total: number; quarantined: number; unquarantined: number };
  tests: Record<ComparisonCategory, ComparedTest[]>;
}

interface Judgement {
  isFailed(statusId: number): boolean;
  isPassed(statusId: number): boolean;
  /** automation case ids under an active quarantine */
  quarantined: ReadonlySet<number>;
}

export interface MergeInput extends Judgement {
  /** the run's test rows in insertion order */
  run: readonly ComparisonTestRow[];
  /** the baseline's test rows in insertion order; null without a baseline */
  baseline: readonly ComparisonTestRow[] | null;
  /** most tests listed per category (the counts are always complete) */
  limit: number;
  /** the categories whose tests are listed; all by default */
  categories?: readonly ComparisonCategory[];
}

export interface ClassifyInput extends Judgement {
  /** the run's narrow rows, in any order */
  run: readonly NarrowTestRow[];
  /** the baseline's narrow rows, in any order; null without a baseline */
  baseline: readonly NarrowTestRow[] | null;
}

/** Every test identity sorted into its categories, by automation case id. */
export interface Classification {
  counts: Counts;
  failures: ComparisonFigures["failures"];
  /** the case ids of each category, in no particular order */
  members: Record<ComparisonCategory, number[]>;
  /** case id → its last result in the run */
  now: Map<number, NarrowTestRow>;
  /** case id → its last result in the baseline */
  before: Map<number, NarrowTestRow>;
  quarantined: ReadonlySet<number>;
}

/** The case ids each category lists, not yet in order. */
export type Listed = Record<ComparisonCategory, number[]>;

const ID = 0;
const CASE = 1;
const STATUS = 2;
const ELAPSED = 3;

/** One result per test identity: the last one (retries within a run come later: higher ids). */
function lastResults(rows: readonly NarrowTestRow[]): Map<number, NarrowTestRow> {
  const byCase = new Map<number, NarrowTestRow>();
  for (const row of rows) {
    const seen = byCase.get(row[CASE]);
    if (!seen || seen[ID] < row[ID]) byCase.set(row[CASE], row);
  }
  return byCase;
}

export function isMarkedlySlower(elapsed: number | null, baseline: number | null): boolean {
  if (elapsed === null || baseline === null) return false;
  return elapsed >= baseline * SLOWER_RATIO && elapsed - baseline >= SLOWER_MIN_MICROS;
}

function byName(a: ComparedTest, b: ComparedTest): number {
  return compareNames(a, b) || a.automation_case_id - b.automation_case_id;
}

function compareNames(a: TestName, b: TestName): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.folder !== b.folder) return a.folder < b.folder ? -1 : 1;
  return 0;
}

/** Most extra time first. */
function byGrowth(a: ComparedTest, b: ComparedTest): number {
  const growth = (t: ComparedTest) => (t.elapsed ?? 0) - (t.baseline_elapsed ?? 0);
  return growth(b) - growth(a) || a.automation_case_id - b.automation_case_id;
}

function emptyLists(): Record<ComparisonCategory, number[]> {
  return Object.fromEntries(COMPARISON_CATEGORIES.map((c) => [c, [] as number[]])) as Record<
    ComparisonCategory,
    number[]
  >;
}

/** Sorts every test identity into the categories the run and its baseline differ in; counts are complete. */
export function classifyTests(input: ClassifyInput): Classification {
  const now = lastResults(input.run);
  const before = input.baseline ? lastResults(input.baseline) : new Map<number, NarrowTestRow>();
  const members = emptyLists();
  const failures = { total: 0, quarantined: 0, unquarantined: 0 };
  for (const [caseId, current] of now) {
    const base = before.get(caseId);
    const failed = input.isFailed(current[STATUS]);
    if (failed) {
      failures.total++;
      if (input.quarantined.has(caseId)) failures.quarantined++;
    }
    if (!base) {
      members.new_tests.push(caseId);
      if (failed) members.new_failures.push(caseId);
      continue;
    }
    const failedBefore = input.isFailed(base[STATUS]);
    if (failed && failedBefore) members.still_failing.push(caseId);
    else if (failed) members.new_failures.push(caseId);
    else if (failedBefore && input.isPassed(current[STATUS])) members.fixed.push(caseId);
    if (isMarkedlySlower(current[ELAPSED], base[ELAPSED])) members.slower.push(caseId);
  }
  for (const caseId of before.keys()) {
    if (!now.has(caseId)) members.gone_tests.push(caseId);
  }
  failures.unquarantined = failures.total - failures.quarantined;
  const counts = Object.fromEntries(COMPARISON_CATEGORIES.map((c) => [c, members[c].length])) as Counts;
  return { counts, failures, members, now, before, quarantined: input.quarantined };
}

/** The row that describes a test: its last result in the run, else in the baseline (a gone test). */
function shownRow(c: Classification, caseId: number): NarrowTestRow {
  return (c.now.get(caseId) ?? c.before.get(caseId))!;
}

/** Categories listed by name; `slower` goes by extra time, which the narrow rows have. */
const BY_NAME = COMPARISON_CATEGORIES.filter((c) => c !== "slower");

/** The rows whose names decide what a category lists: those of a category with more than `limit` tests. */
export function rowsToName(c: Classification, limit: number): number[] {
  const ids = new Set<number>();
  for (const category of BY_NAME) {
    const members = c.members[category];
    if (members.length > limit) for (const caseId of members) ids.add(shownRow(c, caseId)[ID]);
  }
  return [...ids];
}

/** The tests each category lists: its first `limit` in the category's order (names: of `rowsToName`'s rows). */
export function pickListed(c: Classification, limit: number, names: ReadonlyMap<number, TestName>): Listed {
  const listed = emptyLists();
  const growth = (caseId: number) => (c.now.get(caseId)![ELAPSED] ?? 0) - (c.before.get(caseId)![ELAPSED] ?? 0);
  const nameOf = (caseId: number) => names.get(shownRow(c, caseId)[ID])!;
  for (const category of COMPARISON_CATEGORIES) {
    const members = c.members[category];
    if (category === "slower") {
      listed.slower = leastK(members, limit, (a, b) => growth(b) - growth(a) || a - b);
    } else {
      listed[category] =
        members.length <= limit
          ? members
          : leastK(members, limit, (a, b) => compareNames(nameOf(a), nameOf(b)) || a - b);
    }
  }
  return listed;
}

/** The rows that describe the listed tests. */
export function rowsToDescribe(c: Classification, listed: Listed): number[] {
  const ids = new Set<number>();
  for (const category of COMPARISON_CATEGORIES) for (const caseId of listed[category]) ids.add(shownRow(c, caseId)[ID]);
  return [...ids];
}

/** The listed tests as the API shows them, in their category's order. */
export function describeListed(
  c: Classification,
  listed: Listed,
  details: ReadonlyMap<number, TestDetails>,
): Record<ComparisonCategory, ComparedTest[]> {
  const describe = (caseId: number): ComparedTest => {
    const current = c.now.get(caseId);
    const base = c.before.get(caseId);
    const shown = details.get(shownRow(c, caseId)[ID]);
    // The rows were read a moment ago; only a run deleted since then (retention) loses them.
    if (!shown) throw new NotFoundError("The automation run was deleted while it was being compared.");
    return {
      automation_case_id: caseId,
      name: shown.name,
      folder: shown.folder,
      status_id: current?.[STATUS] ?? null,
      baseline_status_id: base?.[STATUS] ?? null,
      elapsed: current?.[ELAPSED] ?? null,
      baseline_elapsed: base?.[ELAPSED] ?? null,
      message: shown.message,
      failure_group_id: shown.failure_group_id,
      is_quarantined: c.quarantined.has(caseId),
    };
  };
  return Object.fromEntries(
    COMPARISON_CATEGORIES.map((category) => [
      category,
      listed[category].map(describe).sort(category === "slower" ? byGrowth : byName),
    ]),
  ) as Record<ComparisonCategory, ComparedTest[]>;
}

/**
 * The `k` least items in `compare`'s order, in that order, without sorting them all: a max-heap of the least
 * so far, so an item that does not belong costs one comparison with its top.
 */
export function leastK<T>(items: readonly T[], k: number, compare: (a: T, b: T) => number): T[] {
  if (items.length <= k) return [...items].sort(compare);
  if (k <= 0) return [];
  const heap = items.slice(0, k);
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(heap, i, compare);
  for (let i = k; i < items.length; i++) {
    const item = items[i]!;
    if (compare(item, heap[0]!) < 0) {
      heap[0] = item;
      siftDown(heap, 0, compare);
    }
  }
  return heap.sort(compare);
}

/** Restores the max-heap below `index`. */
function siftDown<T>(heap: T[], index: number, compare: (a: T, b: T) => number): void {
  let parent = index;
  for (;;) {
    const left = 2 * parent + 1;
    if (left >= heap.length) return;
    const right = left + 1;
    const larger = right < heap.length && compare(heap[right]!, heap[left]!) > 0 ? right : left;
    if (compare(heap[larger]!, heap[parent]!) <= 0) return;
    [heap[parent], heap[larger]] = [heap[larger]!, heap[parent]!];
    parent = larger;
  }
}

/** The whole merge over rows read wide, in memory (each row's id is its position: the run's first, then the baseline's). */
export function mergeComparison(input: MergeInput): Promise<ComparisonFigures> {
  const narrow = (row: ComparisonTestRow, id: number): NarrowTestRow => [id, row.case_id, row.status_id, row.elapsed];
  const offset = input.run.length;
  const classified = classifyTests({
    ...input,
    run: input.run.map((row, i) => narrow(row, i)),
    baseline: input.baseline?.map((row, i) => narrow(row, offset + i)) ?? null,
  });
  const rows = new Map<number, TestDetails>([
    ...input.run.map((row, i) => [i, row] as const),
    ...(input.baseline ?? []).map((row, i) => [offset + i, row] as const),
  ]);
  const reader = { namesOf: async () => rows, detailsOf: async () => rows };
  return listTests(classified, { limit: input.limit, categories: input.categories ?? COMPARISON_CATEGORIES }, reader);
}

/**
 * The tests each listed category shows: names read only where a category's order needs them, details only of
 * the rows listed. Naming is what costs: a source's first run has every test in `new_tests`.
 */
export async function listTests(
  classified: Classification,
  { limit, categories }: { limit: number; categories: readonly ComparisonCategory[] },
  reader: Pick<ComparisonTestReader, "namesOf" | "detailsOf">,
): Promise<ComparisonFigures> {
  const listing = onlyListing(classified, categories);
  const listed = pickListed(listing, limit, await reader.namesOf(rowsToName(listing, limit)));
  const details = await reader.detailsOf(rowsToDescribe(listing, listed));
  return {
    counts: classified.counts,
    failures: classified.failures,
    tests: describeListed(listing, listed, details),
  };
}

/** The classification with only `categories`' members left to list; the counts stay complete. */
function onlyListing(c: Classification, categories: readonly ComparisonCategory[]): Classification {
  const members = emptyLists();
  for (const category of categories) members[category] = c.members[category];
  return { ...c, members };
}

export type ComparisonRule = "requested" | "same_branch_and_config" | "same_source" | "none";

export interface RunComparisonData extends ComparisonFigures {
  run: RunRow;
  baseline: RunRow | null;
  rule: ComparisonRule;
}

/**
 * Compares a run (open or completed: what has arrived so far) with the run
 * asked for, or else with its automatic baseline.
 */
export async function compareRun(
  ctx: AppContext,
  run: RunRow,
  options: { baselineId?: number; limit: number; categories?: readonly ComparisonCategory[] },
): Promise<RunComparisonData> {
  const { db } = ctx.storage;
  let baseline: RunRow | null = null;
  let rule: ComparisonRule = "none";
  if (options.baselineId !== undefined) {
    baseline = await requestedBaseline(ctx, run, options.baselineId);
    rule = "requested";
  } else {
    const found = await findBaselineRun(db, run);
    if (found) {
      baseline = found.row;
      rule = found.rule;
    }
  }
  const listing = { limit: options.limit, categories: options.categories ?? COMPARISON_CATEGORIES };
  return { run, baseline, rule, ...(await compareTests(ctx, run, baseline, listing)) };
}

/** The merge over the database: narrow rows of both runs, names of the candidates that need them, the listed rows. */
async function compareTests(
  ctx: AppContext,
  run: RunRow,
  baseline: RunRow | null,
  listing: { limit: number; categories: readonly ComparisonCategory[] },
): Promise<ComparisonFigures> {
  const reader = comparisonTestReader(ctx.storage);
  const [runTests, baselineTests, quarantined] = await Promise.all([
    reader.narrowTests(run.id),
    baseline ? reader.narrowTests(baseline.id) : Promise.resolve(null),
    quarantinedCases(ctx.storage.db, run.project_id, new Date().toISOString()),
  ]);
  const byId = new Map(ctx.statuses.all.map((s) => [s.id, s]));
  const classified = classifyTests({
    run: runTests,
    baseline: baselineTests,
    isFailed: (id) => byId.get(id)?.is_failed === true,
    isPassed: (id) => byId.get(id)?.is_passed === true,
    quarantined,
  });
  return listTests(classified, listing, reader);
}

async function requestedBaseline(ctx: AppContext, run: RunRow, baselineId: number): Promise<RunRow> {
  if (baselineId === run.id) {
    throw invalidField("baseline_id", `Automation run ${run.id} cannot be its own baseline. Name another run.`);
  }
  const baseline = await findRun(ctx.storage.db, baselineId);
  if (!baseline) throw invalidField("baseline_id", `Automation run ${baselineId} does not exist.`);
  if (baseline.project_id !== run.project_id) {
    throw invalidField(
      "baseline_id",
      `Automation run ${baselineId} is not a run of project ${run.project_id}: the baseline must be a run of the same project.`,
    );
  }
  return baseline;
}
