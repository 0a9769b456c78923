import crypto from "node:crypto";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@assay/api";

/**
 * Password hashing with scrypt from node:crypto (docs/decisions.md, "Passwords").
 * Stored as `scrypt$N$r$p$salt_b64$hash_b64`, so the parameters of each hash
 * travel with it and can be raised later without breaking existing passwords.
 * scrypt runs on libuv's thread pool (the async form): a sign-in never blocks
 * the event loop.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
/** Upper bounds on what a stored hash may ask for, so a damaged row cannot exhaust memory. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** What the password rule says, for 422 answers. */
export const PASSWORD_RULE = `The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`;

/** null when the password is acceptable, else the rule it breaks. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `${PASSWORD_RULE} This one has ${length}.`;
  if (length > PASSWORD_MAX_LENGTH) return `${PASSWORD_RULE} This one has ${length}.`;
  return null;
}

function scrypt(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  // 128 · N · r bytes of memory (32 MiB at the defaults); Node's default ceiling is exactly that, so raise it.
  const maxmem = 128 * params.N * params.r * 2 + 1024 * 1024;
  return new Promise((resolve, reject) => {
    crypto.scrypt(password.normalize("NFC"), salt, keyLength, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = crypto.randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, KEY_LENGTH, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64"), key.toString("base64")].join("$");
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

export function parsePasswordHash(stored: string): ParsedHash | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const valid = (n: number, max: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (!valid(N, MAX_N) || (N & (N - 1)) !== 0 || N < 2 || !valid(r, MAX_R) || !valid(p, MAX_P)) return null;
  const salt = Buffer.from(parts[4]!, "base64");
  const key = Buffer.from(parts[5]!, "base64");
  if (salt.length === 0 || key.length === 0) return null;
  return { params: { N, r, p }, salt, key };
}

/** Whether `password` matches the stored hash; a malformed hash matches nothing. Constant-time comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.key.length, parsed.params);
  return crypto.timingSafeEqual(key, parsed.key);
}

/** Whether a stored hash was made with weaker parameters than today's (to rehash at the next sign-in). */
export function needsRehash(stored: string): boolean {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return true;
  const { N, r, p } = parsed.params;
  return N < SCRYPT_PARAMS.N || r < SCRYPT_PARAMS.r || p < SCRYPT_PARAMS.p || parsed.key.length < KEY_LENGTH;
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the same scrypt time as a real check, for sign-ins of unknown e-mails
 * or users without a password: the answer time does not tell whether an account exists.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  await verifyPassword(password, await warmPasswordCheck());
  return false;
}

/** Makes the stand-in hash of burnPasswordCheck ahead of the first sign-in. */
export function warmPasswordCheck(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(18).toString("base64url"));
  return dummyHash;
}
