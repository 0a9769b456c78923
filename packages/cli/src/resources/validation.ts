const LINK_PROTOCOLS = new Set(["http:", "https:", "ftp:"]);

/** A URL with an http, https or ftp protocol and a host; no TLD needed, so `localhost` is fine. */
export function isLinkUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return LINK_PROTOCOLS.has(url.protocol) && url.hostname !== "";
  } catch {
    return false;
  }
}

export const MIME_TYPE_PATTERN = /^[a-zA-Z0-9]+\/[-+.a-zA-Z0-9]+$/;
