import crypto from "node:crypto";

/** Tokens are stored as SHA-256 digests: a leaked database reveals no usable token. */
export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export function generateToken(): string {
  return `assay_${crypto.randomBytes(30).toString("base64url")}`;
}
