import type { ScalingSignal } from "../adapters/signal.js";
import { readRecord, type RecordedDecision } from "./record.js";
import type { SkippedSignal } from "./resolve.js";

/** How many of the stack's latest updates are read back: longer ago is forgotten. */
export const HISTORY_DEPTH = 50;

/**
 * One entry of the stack's update history (`pulumi stack history --json`), as far as the engine
 * reads it. Defined here, where it is read, so the engine needs nothing from the Pulumi runner.
 */
export interface UpdateHistoryEntry {
  /** update, preview, refresh, destroy, … */
  readonly kind: string;
  /** succeeded, failed, in-progress, … */
  readonly result: string;
  readonly message: string;
  /** ISO 8601 time the update started. */
  readonly startTime: string;
  readonly endTime?: string;
}

/** A scaling an earlier run applied. */
export interface PastScaling {
  readonly target: string;
  readonly from: number;
  readonly to: number;
  /** When the update that applied it ended, in milliseconds since the epoch. */
  readonly at: number;
  /**
   * The units alerts added (see RecordedDecision.alertAdded). For records older than that field,
   * all of a scale-out made by alerts alone, and nothing of one a request or a floor made; when
   * missing, all of a scale-out.
   */
  readonly alertAdded?: number;
}

/** A count the alerts recommended for a target, before stabilization: HPA's recommendation. */
export interface Recommendation {
  readonly target: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly count: number;
}

/** What earlier runs did, as far as the engine needs to know. */
export interface ScalingMemory {
  /** Newest first. */
  readonly scalings: readonly PastScaling[];
  /** Delivery ids already applied, with when. */
  readonly applied: ReadonlyMap<string, number>;
  /** Recommendations of earlier runs, including runs that changed nothing; any order. */
  readonly recommendations?: readonly Recommendation[];
}

export const emptyMemory: ScalingMemory = { scalings: [], applied: new Map() };

/** The units alerts added in a scaling: what a scale-out cooldown counts. */
export function unitsAlertsAdded(scaling: PastScaling): number {
  return scaling.alertAdded ?? Math.max(0, scaling.to - scaling.from);
}

/** Sources whose signals are requests rather than alerts, in records that predate alertAdded. */
const REQUEST_SOURCES = new Set(["delta", "count", "workflow_dispatch", "schedule"]);

function alertAddedOf(decision: RecordedDecision): number {
  if (decision.alertAdded !== undefined) return decision.alertAdded;
  const byAlertsAlone = decision.sources.length > 0 && decision.sources.every((source) => !REQUEST_SOURCES.has(source));
  const floorRaised = (decision.limits ?? []).some((limit) => limit === "min" || limit === "scheduleMin");
  return byAlertsAlone && !floorRaised ? Math.max(0, decision.to - decision.from) : 0;
}

/**
 * Reads the engine's memory from the stack's update history (newest first). Only updates that
 * succeeded count: a failed update changed nothing, so it neither starts a cooldown nor uses up
 * a delivery id. A cooldown runs from when the update ended, as AWS measures it from when the
 * scaling activity completes.
 */
export function readMemory(history: readonly UpdateHistoryEntry[]): ScalingMemory {
  const scalings: PastScaling[] = [];
  const recommendations: Recommendation[] = [];
  const applied = new Map<string, number>();
  for (const entry of history) {
    if (entry.kind !== "update" || entry.result !== "succeeded") continue;
    const record = readRecord(entry.message);
    if (record === undefined) continue;
    const at = [entry.endTime, entry.startTime].map((text) => (text ? Date.parse(text) : NaN)).find(Number.isFinite);
    if (at === undefined) continue;
    for (const decision of record.decisions) {
      if (decision.to !== decision.from) scalings.push({ target: decision.target, from: decision.from, to: decision.to, at, alertAdded: alertAddedOf(decision) });
      if (decision.recommendation !== undefined) recommendations.push({ target: decision.target, at, count: decision.recommendation });
    }
    for (const id of record.applied ?? []) if (!applied.has(id)) applied.set(id, at);
  }
  return { scalings, applied, recommendations };
}

/** Signals whose delivery id an earlier run already applied are redeliveries: they never scale again. */
export function dropRedeliveries(
  signals: readonly ScalingSignal[],
  memory: ScalingMemory,
): { fresh: ScalingSignal[]; redelivered: SkippedSignal[] } {
  const fresh: ScalingSignal[] = [];
  const redelivered: SkippedSignal[] = [];
  for (const signal of signals) {
    const at = isDeliveryId(signal) ? memory.applied.get(signal.deliveryId!) : undefined;
    if (at === undefined) fresh.push(signal);
    else redelivered.push({ signal, why: `redelivery: id ${JSON.stringify(signal.deliveryId)} was already applied by the update of ${new Date(at).toISOString()}` });
  }
  return { fresh, redelivered };
}

/** Whether the signal's id names one delivery (deduplicated) rather than a recurring condition. */
export function isDeliveryId(signal: ScalingSignal): boolean {
  return signal.deliveryId !== undefined && (signal.deliveryIdKind ?? "delivery") === "delivery";
}
