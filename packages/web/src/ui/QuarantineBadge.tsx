import type { Quarantine } from "@assay/api";
import { formatAbsolute } from "./format";
import { StatusChip } from "./StatusChip";

/** "Quarantined" (with its reason and expiry as the title) for a test under an active quarantine. */
export function QuarantineBadge({ quarantine }: { quarantine: Quarantine | null | undefined }) {
  if (!quarantine) return null;
  const until = quarantine.expires_at ? `until ${formatAbsolute(quarantine.expires_at)}` : "until lifted";
  return (
    <StatusChip tone="warning" title={`Quarantined ${until}: ${quarantine.reason}`}>
      Quarantined
    </StatusChip>
  );
}
