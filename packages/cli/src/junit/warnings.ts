/** Per-file warnings, deduplicated with a count so a million bad test cases give one line. */
export class WarningLog {
  private static readonly MAX_DISTINCT = 50;
  private readonly counts = new Map<string, number>();
  private overflow = 0;

  add(message: string): void {
    const count = this.counts.get(message);
    if (count !== undefined) this.counts.set(message, count + 1);
    else if (this.counts.size < WarningLog.MAX_DISTINCT) this.counts.set(message, 1);
    else this.overflow++;
  }

  list(): string[] {
    const lines = [...this.counts].map(([message, count]) => (count > 1 ? `${message} (${count} times)` : message));
    if (this.overflow > 0) lines.push(`${this.overflow} more warnings not shown`);
    return lines;
  }
}
