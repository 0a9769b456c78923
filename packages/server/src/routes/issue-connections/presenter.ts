import type { Connection } from "@assay/api";

export interface ConnectionRow {
  integration_id: number;
  integration_type: number;
  integration_name: string;
  is_active: number;
  created_at: string;
  updated_at: string | null;
  connection_id: number | null;
  connection_name: string | null;
  connection_project_id: number | null;
  connection_project_name: string | null;
}

/** One row per integration × external project; Custom integrations have null `connection_*` fields. */
export function presentConnection(row: ConnectionRow): Connection {
  return {
    integration_id: row.integration_id,
    integration_type: row.integration_type,
    integration_name: row.integration_name,
    connection_id: row.connection_id,
    connection_name: row.connection_name,
    connection_project_id: row.connection_project_id,
    connection_project_name: row.connection_project_name,
    is_active: row.is_active === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
