import { z } from "zod";

/** Marks the machine-readable part of an update message in the stack's update history. */
export const RECORD_MARKER = "pulumiscale-record:";

/**
 * The record of one run, kept in the Pulumi update message: the stack's update history is both
 * the audit log and the engine's memory between runs. Fields are only ever added (`v` stays 1),
 * so every record written so far stays readable.
 */
export interface RunRecord {
  readonly v: 1;
  readonly decisions: readonly RecordedDecision[];
  /**
   * Delivery ids (`deliveryIdKind` "delivery") of the signals of the decisions the run applied
   * (those that changed a count). A later delivery with one of these ids is a redelivery and is
   * skipped.
   */
  readonly applied?: readonly string[];
}

export interface RecordedDecision {
  readonly target: string;
  readonly from: number;
  readonly to: number;
  readonly sources: readonly string[];
  /** Every id the target's signals carried, whatever their kind (for the audit log). */
  readonly deliveryIds: readonly string[];
  /** The limits that changed the count: maxStep, min, scheduleMin, …; and holds: cooldown.scaleOut, … */
  readonly limits?: readonly string[];
  /**
   * The units alerts added, beyond what requests and schedule floors took the count to: only
   * these count against a later alert's scale-out cooldown (AWS counts only what the
   * alarm-initiated scale-out added). Missing in older records.
   */
  readonly alertAdded?: number;
  /** The count the alerts recommended before stabilization, remembered for the stabilization window. */
  readonly recommendation?: number;
}

const recordedDecision = z.object({
  target: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  sources: z.array(z.string()).default([]),
  deliveryIds: z.array(z.string()).default([]),
  limits: z.array(z.string()).optional(),
  alertAdded: z.number().int().min(0).optional(),
  recommendation: z.number().int().min(0).optional(),
});

const runRecord = z.object({
  v: z.literal(1),
  decisions: z.array(recordedDecision),
  applied: z.array(z.string()).optional(),
});

/**
 * The record in an update message, or undefined when the message holds none (an update that
 * PulumiScale did not make) or one this version cannot read. The record is the message's last
 * line, so the last line with the marker is read: text above it cannot stand in for it.
 */
export function readRecord(message: string): RunRecord | undefined {
  const line = message.split("\n").findLast((text) => text.startsWith(RECORD_MARKER));
  if (line === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line.slice(RECORD_MARKER.length));
  } catch {
    return undefined;
  }
  const result = runRecord.safeParse(json);
  return result.success ? result.data : undefined;
}
