/**
 * A loading indicator that appears only after a short delay (CSS), so fast answers never flash it.
 * `role="status"`: screen readers hear the label once.
 */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="loading__spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
