import type { Connection, INTEGRATION_TYPES } from "@assay/api";

/** The tracker types by their `integration_type` number (a copy: only types may come from @assay/api). */
export const TRACKER_TYPES = { custom: 1, github: 2, gitlab: 3, jira: 4 } as const satisfies typeof INTEGRATION_TYPES;

/** One issue tracker as the page shows it, gathered from Testmo's one-row-per-project connections list. */
export interface Tracker {
  id: number;
  type: number;
  name: string;
  isActive: boolean;
  connections: { id: number; name: string; projects: string[] }[];
}

export const TYPE_LABELS: Record<number, string> = {
  [TRACKER_TYPES.github]: "GitHub",
  [TRACKER_TYPES.gitlab]: "GitLab",
  [TRACKER_TYPES.jira]: "Jira",
  [TRACKER_TYPES.custom]: "Custom",
};

/** Groups the rows by integration and connection, keeping the server's order. */
export function groupTrackers(rows: readonly Connection[]): Tracker[] {
  const trackers = new Map<number, Tracker>();
  for (const row of rows) {
    const tracker = trackers.get(row.integration_id) ?? {
      id: row.integration_id,
      type: row.integration_type,
      name: row.integration_name,
      isActive: row.is_active,
      connections: [],
    };
    trackers.set(row.integration_id, tracker);
    if (row.connection_id === null) continue;
    let connection = tracker.connections.find((c) => c.id === row.connection_id);
    if (!connection) {
      connection = { id: row.connection_id, name: row.connection_name ?? "", projects: [] };
      tracker.connections.push(connection);
    }
    if (row.connection_project_name !== null) connection.projects.push(row.connection_project_name);
  }
  return [...trackers.values()];
}

/** "acme: web, api; other: docs" — a tracker's connections in one line. */
export function describeConnections(tracker: Tracker): string {
  if (tracker.connections.length === 0) return "—";
  return tracker.connections.map((c) => `${c.name}: ${c.projects.join(", ")}`).join("; ");
}

/** The project names typed one per line (or separated by commas), blanks dropped. */
export function parseProjectNames(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}
