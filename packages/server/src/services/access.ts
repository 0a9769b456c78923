import { ForbiddenError, NotFoundError } from "../errors.js";
import type { Storage } from "../storage/db.js";
import { accessOverrides, findProject } from "../storage/repositories/projects.js";
import { type AuthUser, groupIdsOfUser } from "../storage/repositories/users.js";
import type { ProjectTable } from "../storage/schema.js";
import { effectivePermissions, has, isAdmin, Permission, type PermissionName } from "./permissions.js";

type ProjectRow = { [K in keyof ProjectTable]: ProjectTable[K] extends { __select__: infer S } ? S : ProjectTable[K] };

/** What the authenticated user may do, project by project; one per request. */
export class Access {
  private groupIds: number[] | null = null;
  private readonly permissionsByProject = new Map<number, number>();

  private readonly db: Storage["db"];

  /** Reads of access overrides and group memberships go through storage.authCache (services/auth-cache.ts). */
  constructor(
    private readonly storage: Pick<Storage, "db" | "authCache">,
    readonly user: AuthUser,
  ) {
    this.db = storage.db;
  }

  get isAdmin(): boolean {
    return isAdmin(this.user.role_permissions);
  }

  requireAdmin(action: string): void {
    if (!this.isAdmin) throw new ForbiddenError(`Only administrators may ${action}. Ask an administrator.`);
  }

  /** Permission bits per project id, for lists that must hide what the user may not see. */
  async permissionsIn(projectIds: readonly number[]): Promise<Map<number, number>> {
    const missing = projectIds.filter((id) => !this.permissionsByProject.has(id));
    if (missing.length > 0) {
      const overrides = await this.storage.authCache.projectOverrides(missing, (ids) => accessOverrides(this.db, ids));
      const groups = await this.userGroupIds();
      for (const id of missing) {
        const perms = effectivePermissions(this.user.role_permissions, groups, this.user.id, overrides.get(id) ?? []);
        this.permissionsByProject.set(id, perms);
      }
    }
    return new Map(projectIds.map((id) => [id, this.permissionsByProject.get(id) ?? 0]));
  }

  async can(projectId: number, permission: PermissionName): Promise<boolean> {
    const perms = (await this.permissionsIn([projectId])).get(projectId) ?? 0;
    return has(perms, Permission[permission]);
  }

  /**
   * The project, if the user may do `permission` in it: 404 when it does not
   * exist, 403 when the user has no access or a role that does not allow it.
   */
  async requireProject(projectId: number, permission: PermissionName, action: string): Promise<ProjectRow> {
    const project = await findProject(this.db, projectId);
    if (!project) throw new NotFoundError(`Project ${projectId} does not exist.`);
    await this.requireIn(projectId, permission, action);
    return project;
  }

  /** Like requireProject, for objects whose project is already known. */
  async requireIn(projectId: number, permission: PermissionName, action: string): Promise<void> {
    const perms = (await this.permissionsIn([projectId])).get(projectId) ?? 0;
    if (perms === 0) {
      throw new ForbiddenError(
        `You do not have access to project ${projectId}. Ask a project manager or administrator for access.`,
      );
    }
    if (!has(perms, Permission[permission])) {
      throw new ForbiddenError(
        `Your role in project ${projectId} does not allow you to ${action}. Ask a project manager for a role that does.`,
      );
    }
  }

  private async userGroupIds(): Promise<number[]> {
    this.groupIds ??= await this.storage.authCache.userGroupIds(this.user.id, () =>
      groupIdsOfUser(this.db, this.user.id),
    );
    return this.groupIds;
  }
}
