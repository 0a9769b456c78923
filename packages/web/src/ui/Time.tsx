import { formatAbsolute, formatRelative } from "./format";

/** A point in time: relative text ("5 minutes ago"), the absolute time as its title and `dateTime`. */
export function Time({ value, fallback = "—" }: { value: string | null | undefined; fallback?: string }) {
  if (!value) return <span className="muted">{fallback}</span>;
  return (
    <time dateTime={value} title={formatAbsolute(value)}>
      {formatRelative(value)}
    </time>
  );
}
