import {
  CreateRepositoryFolders,
  DeleteRepositoryFolders,
  ErrorCollection,
  FOLDER_EXPANDS,
  FOLDER_SORTS,
  FolderResultList,
  idParams,
  listQuery,
  MAX_ID,
  Page,
  RepositoryFolder,
  UpdatedFolderResultList,
  UpdateRepositoryFolders,
} from "@assay/api";
import Type from "typebox";

export const ProjectParams = idParams("project_id");

export interface FolderListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
  sort?: (typeof FOLDER_SORTS)[number];
  order?: "asc" | "desc";
  parent_id?: number;
  name?: string;
}

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  list: {
    operationId: "getFoldersPage",
    tags: ["Repository folders"],
    params: ProjectParams,
    querystring: listQuery({
      sorts: FOLDER_SORTS,
      expands: FOLDER_EXPANDS,
      filters: {
        // 0 lists the top level (an Assay addition).
        parent_id: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ID })),
        name: Type.Optional(Type.String({ minLength: 1 })),
      },
    }),
    response: { 200: Page(RepositoryFolder), ...errors },
  },
  create: {
    operationId: "createFolders",
    tags: ["Repository folders"],
    params: ProjectParams,
    body: CreateRepositoryFolders,
    response: { 201: FolderResultList, ...errors },
  },
  update: {
    operationId: "updateFolders",
    tags: ["Repository folders"],
    params: ProjectParams,
    body: UpdateRepositoryFolders,
    response: { 200: UpdatedFolderResultList, ...errors },
  },
  delete: {
    operationId: "deleteFolders",
    tags: ["Repository folders"],
    params: ProjectParams,
    body: DeleteRepositoryFolders,
    response: { 204: Type.Null({ description: "No content" }), ...errors },
  },
};
