import type { ReactNode } from "react";

/**
 * The URL when it is an absolute http(s) URL, else null. Links, fields and artifacts of uploads are
 * untrusted: `javascript:`, `data:` and anything else must never become a clickable link.
 */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * A link to another site, only for http/https URLs (opened in a new tab, without referrer or opener);
 * any other value is shown as plain text.
 */
export function ExternalLink({ href, children }: { href: string | null | undefined; children?: ReactNode }) {
  const safe = safeHref(href);
  if (!safe) return <span className="external-link--text">{children ?? href ?? ""}</span>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer nofollow" className="external-link">
      {children ?? href}
      <span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}
