import type { PermissionKey, Role } from "@assay/api";
import { type DataColumn, DataTable, dataColumns } from "../../ui/DataTable";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { useRoles } from "../admin/hooks";

const col = dataColumns<Role>();
const getRowId = (role: Role) => String(role.id);

/** What each permission lets a role do, in words, in bit order (view is bit 0). */
export const PERMISSION_LABELS: Record<PermissionKey, string> = {
  view: "View projects",
  automation: "Submit automation results",
  results: "Add test results",
  repository: "Edit the repository",
  manage_runs: "Manage runs",
  manage_project: "Manage the project",
  admin: "Administer Assay",
};

const PERMISSION_KEYS = Object.keys(PERMISSION_LABELS) as PermissionKey[];

/** The permission names of a role's bit set, in bit order. */
export function permissionsOf(bits: number): PermissionKey[] {
  return PERMISSION_KEYS.filter((_, index) => (bits & (1 << index)) !== 0);
}

const columns: DataColumn<Role>[] = col.columns([
  col.accessor("name", { header: "Role", sortFn: "text" }),
  col.accessor("permissions", {
    header: "Permissions",
    cell: ({ getValue }) =>
      permissionsOf(getValue())
        .map((key) => PERMISSION_LABELS[key])
        .join(", "),
  }),
  col.accessor("is_default", { header: "Default", cell: ({ getValue }) => (getValue() ? "Default role" : "") }),
]);

/** Administration › Roles: Assay's fixed roles and what they may do (read only). */
export function AdminRolesPage() {
  const roles = useRoles();
  return (
    <>
      <PageHeader title="Roles">
        <p>
          Every user has one of these roles everywhere; Access gives a user or group another role (or none) in one
          project. The roles themselves are fixed.
        </p>
      </PageHeader>
      <QueryState query={roles} loadingLabel="Loading roles…">
        {(data) => <DataTable caption="Roles" captionHidden columns={columns} data={data} getRowId={getRowId} />}
      </QueryState>
    </>
  );
}
