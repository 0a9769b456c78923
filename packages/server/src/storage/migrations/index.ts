import type { Kysely, Migration } from "kysely";
import type { DialectName } from "../db.js";
import type { Database } from "../schema.js";
import * as initial from "./001_initial.js";
import * as referenceData from "./002_reference_data.js";
import * as manualTesting from "./004_manual_testing.js";
import * as repository from "./005_repository.js";
import * as insights from "./006_insights.js";
import * as runTestSorts from "./007_run_test_sorts.js";
import * as insightCaseIndexes from "./008_insight_case_indexes.js";
import * as failureGroupIndexes from "./009_failure_group_indexes.js";
import * as insightsBackfill from "./010_insights_backfill.js";
import * as webAuth from "./011_web_auth.js";
import * as runResultAttachments from "./013_run_result_attachments.js";
import * as sessionRecording from "./014_session_recording.js";

/**
 * Every migration, in order. Names are never changed once released: the
 * database remembers which ones ran.
 */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    "001_initial": { up: (db) => initial.up(db, dialect) },
    "002_reference_data": { up: (db) => referenceData.up(db as Kysely<Database>) },
    "004_manual_testing": { up: (db) => manualTesting.up(db, dialect) },
    "005_repository": { up: (db) => repository.up(db, dialect) },
    "006_insights": { up: (db) => insights.up(db, dialect) },
    "007_run_test_sorts": { up: (db) => runTestSorts.up(db, dialect) },
    "008_insight_case_indexes": { up: (db) => insightCaseIndexes.up(db) },
    "009_failure_group_indexes": { up: (db) => failureGroupIndexes.up(db, dialect) },
    "010_insights_backfill": { up: (db) => insightsBackfill.up(db as Kysely<Database>) },
    "011_web_auth": { up: (db) => webAuth.up(db, dialect) },
    "013_run_result_attachments": { up: (db) => runResultAttachments.up(db, dialect) },
    "014_session_recording": { up: (db) => sessionRecording.up(db, dialect) },
  };
}
