import type { Kysely, Migration } from "kysely";
import type { DialectName } from "../db.js";
import type { Database } from "../schema.js";
import * as initial from "./001_initial.js";
import * as referenceData from "./002_reference_data.js";
import * as manualTesting from "./004_manual_testing.js";
import * as repository from "./005_repository.js";

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
  };
}
