import { formatDuration } from "./format";

/** A duration given in microseconds (every API duration), e.g. "1.2 s"; the exact value is the title. */
export function Duration({ micros }: { micros: number | null | undefined }) {
  if (micros === null || micros === undefined) return <span className="muted">—</span>;
  return (
    <span className="duration" title={`${micros.toLocaleString("en-US")} µs`}>
      {formatDuration(micros)}
    </span>
  );
}
