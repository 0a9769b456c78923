import crypto from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely, Transaction } from "kysely";
import { invalidField } from "../errors.js";
import { isUniqueViolation } from "../storage/errors.js";
import type { Database } from "../storage/schema.js";

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface MutationResult {
  status: number;
  body?: unknown;
  /** the stored response of an earlier request with the same Idempotency-Key */
  replayed?: boolean;
}

/**
 * `Idempotency-Key` on any POST/PUT/PATCH/DELETE: the first successful
 * response is stored in the same transaction as the change it made, so a
 * repeated request (a client retry after a lost response) gets that response
 * back and changes nothing; the same key with another body is a 422.
 */
export function installIdempotency(app: FastifyInstance): void {
  app.addHook("preHandler", async (request, reply) => {
    const key = idempotencyKey(request);
    if (key === null) return;
    const stored = await findStored(app.ctx.storage.db, request.user.id, key);
    if (stored) return replay(request, reply, stored);
  });
}

/** SHA-256 of the raw body, taken while parsing, only for requests that carry a key. */
export function hashBodyIfIdempotent(request: FastifyRequest, raw: string): void {
  if (request.headers["idempotency-key"] !== undefined) {
    request.bodyHash = hashRequest(request, raw);
  }
}

function hashRequest(request: FastifyRequest, raw: string): string {
  return crypto.createHash("sha256").update(`${request.method} ${request.url}\n`).update(raw).digest("hex");
}

/** Bodiless requests (no parser ran) are identified by method and URL alone. */
function requestHash(request: FastifyRequest): string {
  return request.bodyHash ?? hashRequest(request, "");
}

/**
 * Runs `work` in one transaction, recording its result under the request's
 * Idempotency-Key (if any) before commit. A concurrent duplicate loses the
 * race on the unique key, rolls back, and answers with the winner's response.
 */
export async function mutate(
  app: FastifyInstance,
  request: FastifyRequest,
  work: (trx: Transaction<Database>) => Promise<MutationResult>,
): Promise<MutationResult> {
  const key = idempotencyKey(request);
  const { db } = app.ctx.storage;
  try {
    return await db.transaction().execute(async (trx) => {
      const result = await work(trx);
      if (key !== null) await record(trx, request, key, result);
      return result;
    });
  } catch (error) {
    if (key === null || !isUniqueViolation(error)) throw error;
    const stored = await findStored(db, request.user.id, key);
    if (!stored) throw error;
    assertSameRequest(request, stored.request_hash, key);
    // A concurrent duplicate: it answers like any later replay, header included.
    const body = stored.response_body ? JSON.parse(stored.response_body) : undefined;
    return { status: stored.status_code, body, replayed: true };
  }
}

export async function sendResult(reply: FastifyReply, result: MutationResult) {
  reply.code(result.status);
  if (result.replayed) reply.header("idempotent-replayed", "true");
  return result.body === undefined ? reply.send() : reply.send(result.body);
}

function idempotencyKey(request: FastifyRequest): string | null {
  const header = request.headers["idempotency-key"];
  if (header === undefined || !MUTATING.has(request.method)) return null;
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || !KEY_PATTERN.test(key)) {
    throw invalidField(
      "Idempotency-Key",
      "The Idempotency-Key header must be 1 to 255 visible ASCII characters, e.g. a UUID.",
    );
  }
  return key;
}

async function findStored(db: Kysely<Database>, userId: number, key: string) {
  return db
    .selectFrom("idempotency_keys")
    .select(["request_hash", "status_code", "response_body"])
    .where("user_id", "=", userId)
    .where("key", "=", key)
    .executeTakeFirst();
}

function replay(
  request: FastifyRequest,
  reply: FastifyReply,
  stored: { request_hash: string; status_code: number; response_body: string | null },
) {
  assertSameRequest(request, stored.request_hash, String(request.headers["idempotency-key"]));
  reply.code(stored.status_code).header("idempotent-replayed", "true");
  if (stored.response_body === null) return reply.send();
  return reply.type("application/json; charset=utf-8").send(stored.response_body);
}

function assertSameRequest(request: FastifyRequest, storedHash: string, key: string): void {
  if (requestHash(request) !== storedHash) {
    throw invalidField(
      "Idempotency-Key",
      `The Idempotency-Key "${key}" was already used for a different request. Use a new key for every new request.`,
    );
  }
}

async function record(trx: Transaction<Database>, request: FastifyRequest, key: string, result: MutationResult) {
  await trx
    .insertInto("idempotency_keys")
    .values({
      user_id: request.user.id,
      key,
      request_hash: requestHash(request),
      status_code: result.status,
      response_body: result.body === undefined ? null : JSON.stringify(result.body),
      created_at: new Date().toISOString(),
    })
    .execute();
}

/** Forgets keys older than the configured lifetime. */
export async function purgeIdempotencyKeys(db: Kysely<Database>, ttlHours: number): Promise<void> {
  const cutoff = new Date(Date.now() - ttlHours * 3_600_000).toISOString();
  await db.deleteFrom("idempotency_keys").where("created_at", "<", cutoff).execute();
}
