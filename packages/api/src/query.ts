import Type, { type TProperties } from "typebox";
import { Id, MAX_ID, MAX_PAGE, PER_PAGE_VALUES } from "./common.js";

/**
 * A comma-separated list of ids in one query parameter, e.g. `status=2,3`. The
 * `id-list` format (registered by the server's validators, see `isIdList`)
 * also bounds each id, which a pattern cannot.
 */
export const CsvIds = Type.String({
  format: "id-list",
  description: `Comma-separated ids from 0 to ${MAX_ID}`,
});

const ID_LIST = /^\s*\d{1,10}(\s*,\s*\d{1,10})*\s*$/;

/** The `id-list` format: comma-separated integers from 0 to MAX_ID. */
export function isIdList(value: string): boolean {
  return ID_LIST.test(value) && value.split(",").every((part) => Number(part) <= MAX_ID);
}
/** A comma-separated list of names, e.g. `tags=nightly,smoke`. */
export const CsvNames = Type.String({ minLength: 1 });
/** Query booleans: the binding sends true/false, the docs also allow 1/0. */
export const QueryBoolean = Type.Enum(["true", "false", "1", "0"]);
export const QueryDatetime = Type.String({ format: "date-time" });

export interface ListOptions {
  sorts?: readonly string[];
  expands?: readonly string[];
  filters?: TProperties;
  /** false for endpoints without `sort` but with `order` (attachments) */
  sortable?: boolean;
}

/** Query schema of a list endpoint: page, per_page, expands, sort, order and its filters. */
export function listQuery(options: ListOptions) {
  const properties: TProperties = {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })),
    per_page: Type.Optional(Type.Integer({ enum: [...PER_PAGE_VALUES] })),
    ...(options.filters ?? {}),
  };
  if (options.expands) properties.expands = Type.Optional(Type.String());
  if (options.sorts) properties.sort = Type.Optional(Type.Enum([...options.sorts]));
  if (options.sorts || options.sortable === false) {
    properties.order = Type.Optional(Type.Enum(["asc", "desc"]));
  }
  return Type.Object(properties);
}

export function idParams(name: string) {
  return Type.Object({ [name]: Id });
}
