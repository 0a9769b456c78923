import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";
import type { AccessOverride } from "./permissions.js";

/**
 * The longest an instance keeps using what it read about an API token (its user, role and revocation), a
 * user's groups or a project's access list. A write through this instance's own database handle clears the
 * cache at once (see `authInvalidationPlugin`); a write by another instance or by `assay-server` on the shell
 * takes effect here at most this long after it commits. docs/decisions.md, "Authentication cache".
 */
export const AUTH_CACHE_MS = 1000;

/** Tables whose rows decide who a token is and what they may do. */
const AUTH_TABLES = new Set(["api_tokens", "users", "roles", "project_access", "group_members", "groups", "projects"]);
/** Entries per map before expired ones are swept (a bound on memory with very many tokens). */
const SWEEP_AT = 10_000;

interface Entry<V> {
  value: Promise<V>;
  expiresAt: number;
}

/**
 * Short-lived, per-process memory of the authentication and permission reads every API request makes.
 * Concurrent requests for the same key share one read. An entry expires AUTH_CACHE_MS after its read began,
 * so it never outlives the bound, however long the read took.
 */
export class AuthCache {
  private generation = 0;
  /** writes to AUTH_TABLES not yet followed by a commit */
  private uncommittedWrites = 0;
  private readonly tokens = new Map<string, Entry<unknown>>();
  private readonly groupIds = new Map<number, Entry<number[]>>();
  private readonly overrides = new Map<number, Entry<AccessOverride[]>>();

  constructor(private readonly ttlMs = AUTH_CACHE_MS) {}

  /** Forgets everything: something that decides access changed. */
  invalidate(): void {
    this.generation++;
    this.tokens.clear();
    this.groupIds.clear();
    this.overrides.clear();
  }

  /** A statement writes an AUTH_TABLE: forget now, and again once a transaction commits. */
  noteWrite(): void {
    this.uncommittedWrites++;
    this.invalidate();
  }

  /**
   * After a commit (or rollback): a read that ran between the write and the commit saw the old rows and
   * may have been remembered. Any connection's commit counts (cheap, and never too late).
   */
  afterTransaction(): void {
    if (this.uncommittedWrites === 0) return;
    this.uncommittedWrites = 0;
    this.invalidate();
  }

  /** The user of a token digest; an unknown or revoked token (undefined) is not remembered. */
  token<V>(tokenHash: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    return this.through(this.tokens as Map<string, Entry<V | undefined>>, tokenHash, load, (v) => v !== undefined);
  }

  userGroupIds(userId: number, load: () => Promise<number[]>): Promise<number[]> {
    return this.through(this.groupIds, userId, load, () => true);
  }

  /** Access overrides of projects; the ones not remembered are read with one `load` call. */
  async projectOverrides(
    projectIds: readonly number[],
    load: (ids: number[]) => Promise<Map<number, AccessOverride[]>>,
  ): Promise<Map<number, AccessOverride[]>> {
    const missing = projectIds.filter((id) => !this.fresh(this.overrides.get(id)));
    if (missing.length > 0) {
      const batch = this.remember(() => load(missing));
      for (const id of missing) {
        this.store(
          this.overrides,
          id,
          batch.value.then((m) => m.get(id) ?? []),
          batch.startedAt,
          batch.generation,
        );
      }
      await batch.value;
    }
    const result = new Map<number, AccessOverride[]>();
    for (const id of projectIds) result.set(id, await this.overrides.get(id)!.value);
    return result;
  }

  private fresh(entry: Entry<unknown> | undefined): entry is Entry<unknown> {
    return entry !== undefined && entry.expiresAt > Date.now();
  }

  private through<K, V>(
    map: Map<K, Entry<V>>,
    key: K,
    load: () => Promise<V>,
    keep: (value: V) => boolean,
  ): Promise<V> {
    const hit = map.get(key);
    if (this.fresh(hit)) return hit.value;
    const read = this.remember(load);
    const entry = this.store(map, key, read.value, read.startedAt, read.generation);
    read.value.then(
      (value) => {
        if (!keep(value) && map.get(key) === entry) map.delete(key);
      },
      () => {
        if (map.get(key) === entry) map.delete(key);
      },
    );
    return read.value;
  }

  private remember<V>(load: () => Promise<V>) {
    return { value: load(), startedAt: Date.now(), generation: this.generation };
  }

  /** Keeps the read unless the cache was invalidated while it ran (it may have read the old state). */
  private store<K, V>(
    map: Map<K, Entry<V>>,
    key: K,
    value: Promise<V>,
    startedAt: number,
    generation: number,
  ): Entry<V> {
    const entry = { value, expiresAt: startedAt + this.ttlMs };
    if (generation !== this.generation) return entry;
    if (map.size >= SWEEP_AT) sweep(map);
    map.set(key, entry);
    // An invalidation while the read runs: the value may predate the change, so it must not stay.
    value.then(
      () => {
        if (generation !== this.generation && map.get(key) === entry) map.delete(key);
      },
      () => {},
    );
    return entry;
  }
}

function sweep<K, V>(map: Map<K, Entry<V>>): void {
  const now = Date.now();
  for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
  if (map.size >= SWEEP_AT) map.clear();
}

/**
 * Clears the cache whenever a statement writes one of the AUTH_TABLES through this database handle (any
 * route, service or command), before and again after it runs: a request served right after a revocation, a
 * role change or a removed override in this instance never sees the old state. Stamping a token's last use
 * is the one write that leaves access as it was, and it is let through.
 */
export function authInvalidationPlugin(cache: AuthCache): KyselyPlugin {
  const writes = new WeakSet<object>();
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (writesAuthTable(args.node)) {
        cache.noteWrite();
        writes.add(args.queryId);
      }
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      // Outside a transaction the statement has committed now; inside one, afterTransaction follows.
      if (writes.has(args.queryId)) cache.invalidate();
      return args.result;
    },
  };
}

function writesAuthTable(node: RootOperationNode): boolean {
  switch (node.kind) {
    case "InsertQueryNode":
      return isAuthTable(node.into);
    case "UpdateQueryNode":
      return isAuthTable(node.table) && !onlyStampsLastUse(node);
    case "DeleteQueryNode":
      return node.from.froms.some(isAuthTable);
    case "RawNode":
      return node.sqlFragments.some((f) => /\b(insert|update|delete)\b/i.test(f)) && mentionsAuthTable(node);
    default:
      return false;
  }
}

function isAuthTable(node: OperationNode | undefined): boolean {
  if (!node) return false;
  if (node.kind === "AliasNode") return isAuthTable((node as unknown as { node: OperationNode }).node);
  if (node.kind === "TableNode") {
    const table = (node as unknown as { table: { identifier: { name: string } } }).table;
    return AUTH_TABLES.has(table.identifier.name);
  }
  return false;
}

function mentionsAuthTable(node: { sqlFragments: readonly string[] }): boolean {
  const text = node.sqlFragments.join(" ").toLowerCase();
  for (const table of AUTH_TABLES) if (new RegExp(`\\b${table}\\b`).test(text)) return true;
  return false;
}

function onlyStampsLastUse(node: { updates?: readonly OperationNode[] }): boolean {
  const columns = (node.updates ?? []).map(
    (u) => (u as { column?: { column?: { name?: string } } }).column?.column?.name,
  );
  return columns.length === 1 && columns[0] === "last_used_at";
}
