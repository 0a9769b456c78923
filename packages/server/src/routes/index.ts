import type { FastifyInstance } from "fastify";
import { attachmentRoutes } from "./attachments/routes.js";
import { automationRunRoutes } from "./automation-runs/routes.js";
import { automationSourceRoutes } from "./automation-sources/routes.js";
import { automationThreadRoutes } from "./automation-threads/routes.js";
import { caseRoutes } from "./cases/routes.js";
import { folderRoutes } from "./folders/routes.js";
import { groupRoutes } from "./groups/routes.js";
import { issueConnectionRoutes } from "./issue-connections/routes.js";
import { milestoneRoutes } from "./milestones/routes.js";
import { projectUserRoutes } from "./project-users/routes.js";
import { projectRoutes } from "./projects/routes.js";
import { roleRoutes } from "./roles/routes.js";
import { runResultRoutes } from "./run-results/routes.js";
import { runRoutes } from "./runs/routes.js";
import { sessionRoutes } from "./sessions/routes.js";
import { userRoutes } from "./users/routes.js";
import { xAdminRoutes } from "./x-admin/routes.js";

/** Every authenticated /api/v1 resource; each folder holds its routes, schemas, presenter and tests. */
export async function apiRoutes(app: FastifyInstance): Promise<void> {
  await projectRoutes(app);
  await automationSourceRoutes(app);
  await automationRunRoutes(app);
  await automationThreadRoutes(app);
  await issueConnectionRoutes(app);
  await attachmentRoutes(app);
  await milestoneRoutes(app);
  await runRoutes(app);
  await runResultRoutes(app);
  await sessionRoutes(app);
  await caseRoutes(app);
  await folderRoutes(app);
  await userRoutes(app);
  await groupRoutes(app);
  await roleRoutes(app);
  await projectUserRoutes(app);
  await xAdminRoutes(app);
}
