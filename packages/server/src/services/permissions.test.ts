import { describe, expect, it } from "vitest";
import { DEFAULT_ROLES, effectivePermissions, has, Permission } from "./permissions.js";

const [admin, manager, tester, readOnly] = DEFAULT_ROLES.map((r) => r.permissions) as [number, number, number, number];

describe("effectivePermissions", () => {
  it("uses the global role when the project has no overrides", () => {
    expect(effectivePermissions(tester, [], 7, [])).toBe(tester);
  });

  it("gives administrators everything, whatever the overrides say", () => {
    const perms = effectivePermissions(admin, [], 7, [{ user_id: 7, group_id: null, permissions: null }]);
    expect(has(perms, Permission.admin)).toBe(true);
  });

  it("prefers a user override over group overrides and the project default", () => {
    const overrides = [
      { user_id: null, group_id: null, permissions: null },
      { user_id: null, group_id: 3, permissions: manager },
      { user_id: 7, group_id: null, permissions: readOnly },
    ];
    expect(effectivePermissions(tester, [3], 7, overrides)).toBe(readOnly);
  });

  it("unites the roles of every group override that applies", () => {
    const overrides = [
      { user_id: null, group_id: 1, permissions: readOnly },
      { user_id: null, group_id: 2, permissions: Permission.automation },
      { user_id: null, group_id: 9, permissions: manager },
    ];
    expect(effectivePermissions(tester, [1, 2], 7, overrides)).toBe(readOnly | Permission.automation);
  });

  it("denies access through an override without a role, or a project default of no access", () => {
    expect(effectivePermissions(tester, [], 7, [{ user_id: 7, group_id: null, permissions: null }])).toBe(0);
    expect(effectivePermissions(manager, [], 7, [{ user_id: null, group_id: null, permissions: null }])).toBe(0);
  });

  it("ignores overrides for other users and groups", () => {
    const overrides = [
      { user_id: 8, group_id: null, permissions: null },
      { user_id: null, group_id: 4, permissions: null },
    ];
    expect(effectivePermissions(tester, [3], 7, overrides)).toBe(tester);
  });
});

describe("default roles", () => {
  it("lets only administrators administer and read-only users only read", () => {
    expect(has(admin, Permission.admin)).toBe(true);
    expect(has(manager, Permission.admin)).toBe(false);
    expect(has(tester, Permission.automation)).toBe(true);
    expect(has(tester, Permission.manageProject)).toBe(false);
    expect(readOnly).toBe(Permission.view);
  });
});
