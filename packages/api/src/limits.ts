/**
 * Server-side input limits (spec Open point 9). They are generous supersets of
 * what Testmo's CLI sends (it truncates to 750 / 16384 / 80 characters and
 * sends 250 tests per append), so no CLI upload is ever rejected for size.
 */
export const LIMITS = {
  /** names, folders, files, URLs, tags, status aliases, meta keys and values */
  string: 750,
  /** link and artifact notes */
  note: 80,
  /** field values of any type (text, console, html) */
  fieldValue: 1_048_576,
  /** automation test key: lowercase a-z0-9 */
  key: 64,
  /** tests in one thread append */
  testsPerAppend: 10_000,
  /** fields, artifacts or links on one object in one request */
  resourcesPerObject: 250,
  /** tags on a run */
  tags: 100,
} as const;
