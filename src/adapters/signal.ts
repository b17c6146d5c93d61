/** A change that needs nothing but the deployed count: `+N`, `-N`, `+N%`, `-N%`, `=N`. */
export type SimpleAdjustment =
  /** Add `by` (negative to remove) to the deployed count. */
  | { readonly type: "change"; readonly by: number }
  /**
   * Add `percent` percent of the deployed count (negative to remove), rounded toward zero but
   * never to less than one unit, as AWS Application Auto Scaling does.
   */
  | {
      readonly type: "percent";
      readonly percent: number;
      /** The least number of units it changes the count by (AWS MinAdjustmentMagnitude). */
      readonly minMagnitude?: number;
    }
  /** Set the count to exactly `count`. */
  | { readonly type: "exact"; readonly count: number };

/**
 * One interval of a step adjustment. `lower` and `upper` bound the breach (metric value minus
 * threshold); a missing bound is unbounded. Above the threshold the lower bound is inclusive and
 * the upper exclusive; below it the other way round (AWS StepAdjustments).
 */
export interface StepInterval {
  readonly lower?: number;
  readonly upper?: number;
  readonly adjustment: SimpleAdjustment;
}

/** How a signal wants the target's count to change. */
export type Adjustment =
  | SimpleAdjustment
  /** Pick the step whose interval holds the breach; needs the metric value and a threshold. */
  | { readonly type: "steps"; readonly steps: readonly StepInterval[] }
  /**
   * Target tracking: `ceil(current × value / targetValue)`, unless the value lies within
   * `tolerancePercent` of the target value. Needs the metric value.
   */
  | {
      readonly type: "track";
      readonly targetValue: number;
      readonly tolerancePercent: number;
      /** At or below this value the target is idle (KEDA activationThreshold): from 0 nothing starts, and it may go to 0. */
      readonly activationThreshold?: number;
    };

export type AlertStatus = "firing" | "resolved" | "no-data";

/** An alert or alarm as its source reported it, before the stack's policy gives it meaning. */
export interface AlertFacts {
  /**
   * `alertname` (Alertmanager, Grafana), the alarm name (CloudWatch), the alert rule (Azure
   * Monitor), the policy name (Google Cloud Monitoring) or the monitor's title (Datadog).
   */
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
  /**
   * Named measurements, where the source carries several: Grafana's `values`, one per refId of
   * the rule's queries and expressions. A rule's `valueFrom` names one.
   */
  readonly values?: Readonly<Record<string, number>>;
  /**
   * Labels a rule must name in `match.labels`, with these values, to apply to this alert. Set on
   * notifications that change nothing unless a rule asks for them (a Datadog warning, a test
   * notification); such an alert's own pulumiscale_* labels are not read.
   */
  readonly optInLabels?: Readonly<Record<string, string>>;
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
  /** Identifies the event, where the source has such an id; `deliveryIdKind` says what it names. */
  readonly deliveryId?: string;
  /**
   * What `deliveryId` names. `delivery` (the default) is one delivery of one event: SNS
   * `MessageId`, EventBridge `id`, a request's `id`. The same id again is a redelivery, and once a
   * run has applied it, it never scales again. `occurrence` is one occurrence of a condition that
   * its source re-sends while it lasts: Alertmanager repeats a firing alert every
   * `repeat_interval` with the same id. The same id again is renewed intent, governed by the
   * policy's cooldowns, not a duplicate.
   */
  readonly deliveryIdKind?: "delivery" | "occurrence";
  /** Name of a target in the stack's scaling policy, when the event names one. */
  readonly target?: string;
  /** The change, when the event states one. */
  readonly adjustment?: Adjustment;
  /** Present for alerts and alarms. */
  readonly alert?: AlertFacts;
  /**
   * When the condition began, by the source's own clock (ISO 8601 UTC): Alertmanager's and
   * Grafana's `startsAt`, CloudWatch's `StateChangeTime`, ... Absent when the source gives no
   * time or one that does not parse; it only informs the timings report, never a decision.
   */
  readonly began?: string;
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
