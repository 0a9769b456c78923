import type { Group, Role, User } from "@assay/api";

/** Users, groups and roles as Testmo's lists return them, for the administration page tests. */
export function user(overrides: Partial<User> = {}): User {
  return {
    id: 1,
    name: "Ada Admin",
    email: "admin@localhost",
    type: 1,
    timezone: "UTC",
    date_format: "Y-m-d",
    time_format: "H:i",
    notifications: 1,
    tfa_enabled: false,
    is_active: true,
    is_forgotten: false,
    is_api: false,
    role_id: 1,
    groups: [],
    created_at: "2026-01-01T00:00:00.000Z",
    created_by: 0,
    updated_at: null,
    updated_by: null,
    ...overrides,
  };
}

export function group(overrides: Partial<Group> = {}): Group {
  return {
    id: 1,
    name: "QA",
    members: [],
    created_at: "2026-01-01T00:00:00.000Z",
    created_by: 1,
    updated_at: null,
    updated_by: null,
    ...overrides,
  };
}

export function role(overrides: Partial<Role> = {}): Role {
  return {
    id: 1,
    name: "Administrator",
    permissions: 127,
    is_default: false,
    created_at: "2026-01-01T00:00:00.000Z",
    created_by: 0,
    updated_at: null,
    updated_by: null,
    ...overrides,
  };
}
