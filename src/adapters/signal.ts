/** How a signal wants the target's count to change. */
export type Adjustment =
  /** Add `by` (negative to remove) to the deployed count. */
  | { readonly type: "change"; readonly by: number }
  /** Set the count to exactly `count`. */
  | { readonly type: "exact"; readonly count: number };

export type AlertStatus = "firing" | "resolved" | "no-data";

/** An alert or alarm as its source reported it, before the stack's policy gives it meaning. */
export interface AlertFacts {
  /** `alertname` (Alertmanager) or the alarm name (CloudWatch). */
  readonly name: string;
  /**
   * `firing` (Alertmanager firing, CloudWatch ALARM), `resolved` (Alertmanager resolved, CloudWatch
   * OK) or `no-data` (CloudWatch INSUFFICIENT_DATA). Neither `resolved` nor `no-data` scales by
   * itself: only a policy rule (or, for `resolved`, the alert's pulumiscale_adjust_resolved) does.
   */
  readonly status: AlertStatus;
  /** Labels (Alertmanager) or dimensions and metric identity (CloudWatch), as text. */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** A metric value, where the source carries one. */
  readonly value?: number;
  readonly threshold?: number;
}

/**
 * What one event asks for, as read by an adapter. A request names its target and adjustment
 * itself (delta, count, or an alert whose labels say so); an alert without them is given a
 * target and an adjustment by the policy's rules (see engine/resolve.ts).
 */
export interface ScalingSignal {
  /** The adapter that produced it (`delta`, `count`, `alertmanager`, ...). */
  readonly source: string;
  /** Human-readable why, for the summary and the update message. */
  readonly reason: string;
  /** Identifies one delivery of the event, where the source has such an id. */
  readonly deliveryId?: string;
  /** Name of a target in the stack's scaling policy, when the event names one. */
  readonly target?: string;
  /** The change, when the event states one. */
  readonly adjustment?: Adjustment;
  /** Present for alerts and alarms. */
  readonly alert?: AlertFacts;
}

/** A signal with its target and adjustment settled against the policy: what the engine decides on. */
export interface ResolvedSignal extends ScalingSignal {
  readonly target: string;
  readonly adjustment: Adjustment;
  /** Index of the policy rule that gave an alert its target and adjustment. */
  readonly rule?: number;
}

/** A payload that an adapter cannot read. `path` points at the offending field. */
export class PayloadError extends Error {
  override readonly name = "PayloadError";
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** Reads one kind of payload. Adapters are pure: no I/O, no clock, no randomness. */
export interface Adapter {
  /** The value of `client_payload.source` that selects this adapter. */
  readonly source: string;
  /** A line for docs and errors. */
  readonly description: string;
  /**
   * Turns a payload into signals. `path` names where the payload sits in the event, for errors.
   * Throws PayloadError and nothing else.
   */
  parse(payload: Record<string, unknown>, path: string): ScalingSignal[];
}
