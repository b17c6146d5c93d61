import type { Decision } from "../engine/decision.js";

/** Marks the machine-readable part of an update message in the stack's update history. */
export const RECORD_MARKER = "pulumiscale-record:";

/** The record of one run kept in the update message, so the stack history is the audit log. */
export interface RunRecord {
  readonly v: 1;
  readonly decisions: readonly {
    readonly target: string;
    readonly from: number;
    readonly to: number;
    readonly sources: readonly string[];
    readonly deliveryIds: readonly string[];
  }[];
}

/** The Pulumi update message: a readable first line, then the record as one line of JSON. */
export function updateMessage(decisions: readonly Decision[]): string {
  const changed = decisions.filter((decision) => decision.changed);
  const head = `PulumiScale: ${changed.map((d) => `${d.target} ${d.from} → ${d.to}`).join(", ")}`;
  const record: RunRecord = {
    v: 1,
    decisions: changed.map((d) => ({
      target: d.target,
      from: d.from,
      to: d.to,
      sources: [...new Set(d.signals.map((s) => s.source))],
      deliveryIds: d.signals.flatMap((s) => (s.deliveryId ? [s.deliveryId] : [])),
    })),
  };
  return `${head}\n\n${changed.map((d) => d.why).join("\n")}\n\n${RECORD_MARKER} ${JSON.stringify(record)}`;
}
