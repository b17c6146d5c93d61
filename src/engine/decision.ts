import type { ResolvedSignal } from "../adapters/signal.js";

/** A limit that changed what the signals asked for. */
export interface Clamp {
  readonly limit: "min" | "max" | "maxStep";
  /** The limit's value. */
  readonly value: number;
  /** The count before this limit was applied. */
  readonly before: number;
  /** The count after it. */
  readonly after: number;
}

/** What one run decided for one target, and why. */
export interface Decision {
  readonly target: string;
  readonly urn: string;
  readonly configKey: string;
  /** The deployed count the decision started from. */
  readonly from: number;
  /** What the winning signal asked for, before limits. */
  readonly proposed: number;
  /** The count to apply, within every limit. */
  readonly to: number;
  readonly changed: boolean;
  readonly signals: readonly ResolvedSignal[];
  readonly clamps: readonly Clamp[];
  /** One line: what happens and why. */
  readonly why: string;
}
