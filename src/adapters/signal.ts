/** How a signal wants the target's count to change. */
export type Adjustment =
  /** Add `by` (negative to remove) to the deployed count. */
  | { readonly type: "change"; readonly by: number }
  /** Set the count to exactly `count`. */
  | { readonly type: "exact"; readonly count: number };

/** One request to scale one target, produced by an adapter from an event payload. */
export interface ScalingSignal {
  /** Name of a target in the stack's scaling policy. */
  readonly target: string;
  readonly adjustment: Adjustment;
  /** The adapter that produced it (`delta`, `count`, ...). */
  readonly source: string;
  /** Identifies one delivery of the event, where the source has such an id. */
  readonly deliveryId?: string;
  /** Human-readable why, for the summary and the update message. */
  readonly reason: string;
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
