import type { InviteResult, LinkPurpose } from "@assay/api";

export function presentInvite(userId: number, url: string, expiresAt: string, purpose: LinkPurpose): InviteResult {
  return { result: { user_id: userId, url, expires_at: expiresAt, purpose } };
}
