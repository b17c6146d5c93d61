/** One resource step of an update or preview, as the engine reported it. */
export interface ResourceStep {
  readonly urn: string;
  /** same, create, update, delete, replace, create-replacement, delete-replaced, read, refresh, … */
  readonly op: string;
}

export interface EventLogSummary {
  /** Resource operations by kind, e.g. { update: 1, same: 2 }. */
  readonly operations: Record<string, number>;
  readonly steps: readonly ResourceStep[];
  /** Engine warnings about operations a crashed run left pending. */
  readonly pendingOperationWarnings: readonly string[];
  /** Plugins the operation had to download (see plugin-downloads.ts); absent when not looked for. */
  readonly pluginDownloads?: readonly string[];
}

/**
 * Reads the engine's event log (one JSON event per line, written by `--event-log`): the
 * summary's operation counts and every resource step. Lines that are not events are skipped; a
 * log cut short by a crash still yields the steps it holds.
 */
export function summariseEventLog(text: string): EventLogSummary {
  const steps: ResourceStep[] = [];
  const pendingOperationWarnings: string[] = [];
  let operations: Record<string, number> | undefined;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line);
    } catch {
      continue;
    }
    const pre = event["resourcePreEvent"] as { metadata?: { urn?: string; op?: string } } | undefined;
    if (pre?.metadata?.urn && pre.metadata.op) steps.push({ urn: pre.metadata.urn, op: pre.metadata.op });
    const diagnostic = event["diagnosticEvent"] as { message?: string; severity?: string } | undefined;
    if (diagnostic?.message && /pending operation/i.test(diagnostic.message)) {
      pendingOperationWarnings.push(diagnostic.message.replace(/<\{%[^%]*%\}>/g, "").trim());
    }
    const summary = event["summaryEvent"] as { resourceChanges?: Record<string, number> } | undefined;
    if (summary?.resourceChanges) operations = { ...summary.resourceChanges };
  }
  if (!operations) {
    operations = {};
    for (const step of steps) operations[step.op] = (operations[step.op] ?? 0) + 1;
  }
  return { operations, steps, pendingOperationWarnings };
}
