// The engine's event shapes as the Automation API declares them: a type-only import (nothing of
// @pulumi/pulumi is bundled), so a change in Pulumi's event shapes breaks the build, not a run.
// (`@pulumi/pulumi/automation` spelled as a file: the package has no exports map, and ESM
// resolution does not look for a directory's index.)
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation/index.js";

/** One resource step of an update or preview, as the engine reported it. */
export interface ResourceStep {
  readonly urn: string;
  /**
   * One of Pulumi's OpType values (same, create, update, delete, replace, create-replacement,
   * delete-replaced, read, refresh, …), kept as a string so callers can compare with any.
   */
  readonly op: OpType | (string & {});
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
    // A line is an event as the engine wrote it; a log cut short may hold partial shapes, so
    // every field is still checked before use.
    let event: Partial<EngineEvent>;
    try {
      event = JSON.parse(line);
    } catch {
      continue;
    }
    const pre = event.resourcePreEvent?.metadata;
    if (pre?.urn && pre.op) steps.push({ urn: pre.urn, op: pre.op });
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.message && /pending operation/i.test(diagnostic.message)) {
      pendingOperationWarnings.push(diagnostic.message.replace(/<\{%[^%]*%\}>/g, "").trim());
    }
    const summary = event.summaryEvent;
    if (summary?.resourceChanges) operations = { ...summary.resourceChanges };
  }
  if (!operations) {
    operations = {};
    for (const step of steps) operations[step.op] = (operations[step.op] ?? 0) + 1;
  }
  return { operations, steps, pendingOperationWarnings };
}
