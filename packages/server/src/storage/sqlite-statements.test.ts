import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { type SqliteConnection, statementsFor } from "./sqlite-statements.js";

describe("statementsFor", () => {
  it("prepares once per connection and preparer, and again for another connection", () => {
    const first = new Database(":memory:") as SqliteConnection;
    const second = new Database(":memory:") as SqliteConnection;
    let calls = 0;
    const prepare = (sqlite: SqliteConnection) => {
      calls++;
      return { one: sqlite.prepare("SELECT 1").pluck() };
    };
    const other = (sqlite: SqliteConnection) => sqlite.prepare("SELECT 2").pluck();
    const statements = statementsFor(first, prepare);
    expect(statementsFor(first, prepare)).toBe(statements);
    expect(statements.one.get()).toBe(1);
    expect(statementsFor(first, other).get()).toBe(2);
    expect(statementsFor(second, prepare)).not.toBe(statements);
    expect(calls).toBe(2);
    first.close();
    second.close();
  });
});
