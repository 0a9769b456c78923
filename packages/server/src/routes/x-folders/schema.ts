import { ErrorCollection, FolderContentsResult, FolderResultList, idParams, MoveFolder } from "@assay/api";

const tags = ["Assay extensions (not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  move: {
    operationId: "assayMoveFolder",
    tags,
    summary:
      "Moves a folder under another (or to the top level) at a position among its new siblings; answers the siblings in their new order",
    params: idParams("folder_id"),
    body: MoveFolder,
    response: { 200: FolderResultList, ...errors },
  },
  contents: {
    operationId: "assayGetFolderContents",
    tags,
    summary: "What deleting a folder takes with it: the folders below it, their cases and attachments",
    params: idParams("folder_id"),
    response: { 200: FolderContentsResult, 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection },
  },
};
