import Type, { type Static, type TSchema } from "typebox";

/** Error body of every non-2xx answer (Testmo's `ErrorCollection`). */
export const ErrorCollection = Type.Object(
  {
    message: Type.String(),
    errors: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
  },
  { $id: "ErrorCollection" },
);
export type ErrorCollection = Static<typeof ErrorCollection>;

/** Ids are 32-bit (PostgreSQL `serial`): a larger number can name nothing and is a 422, not a database error. */
export const MAX_ID = 2_147_483_647;
/** Largest duration, size or count a body may carry: exact in a JS number and in a 64-bit column. */
export const MAX_INTEGER = Number.MAX_SAFE_INTEGER;
/** Pages beyond this are refused: the offset must stay an exact integer on both databases. */
export const MAX_PAGE = 10_000_000;

export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });
export const Datetime = Type.String({ format: "date-time" });
export const NullableDatetime = Type.Union([Datetime, Type.Null()]);
export const NullableId = Type.Union([Id, Type.Null()]);
export const NullableString = Type.Union([Type.String(), Type.Null()]);
export const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);

/** The page sizes Testmo accepts; anything else is a 422 naming these. */
export const PER_PAGE_VALUES = [15, 25, 50, 100] as const;
export const DEFAULT_PER_PAGE = 100;

/** `{page, prev_page, next_page, last_page, per_page, total, result, expands}` */
export function Page<T extends TSchema>(item: T, options: { expands?: boolean } = {}) {
  const base = {
    page: NullableInteger,
    prev_page: NullableInteger,
    next_page: NullableInteger,
    last_page: NullableInteger,
    per_page: Type.Integer(),
    total: Type.Integer(),
    result: Type.Array(item),
  };
  return options.expands === false
    ? Type.Object(base)
    : Type.Object({ ...base, expands: Type.Record(Type.String(), Type.Array(Type.Unknown())) });
}

/** `{result, expands}` of every single-object GET. */
export function Row<T extends TSchema>(item: T) {
  return Type.Object({
    result: item,
    expands: Type.Record(Type.String(), Type.Array(Type.Unknown())),
  });
}

export const CreatedId = Type.Object({ id: Id });
export type CreatedId = Static<typeof CreatedId>;

export interface PageEnvelope<T> {
  page: number | null;
  prev_page: number | null;
  next_page: number | null;
  last_page: number | null;
  per_page: number;
  total: number;
  result: T[];
  expands?: Record<string, unknown[]>;
}

/** Query parameters shared by every list endpoint; values arrive as strings. */
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  per_page: Type.Optional(Type.Integer()),
};

/** An `{id, name}` item of `expands.users`, `expands.groups`, … */
export const NamedExpand = Type.Object({ id: Id, name: Type.String() });
export type NamedExpand = Static<typeof NamedExpand>;
