import type { ResolvedSignal } from "../adapters/signal.js";
import type { OpenWindow } from "./schedule.js";

/** A limit that changed what the signals asked for. */
export interface Clamp {
  readonly limit: "min" | "max" | "maxStep" | "maxStepPercent" | "scheduleMin" | "scheduleMax";
  /** The limit's value (for maxStepPercent, the units it allowed). */
  readonly value: number;
  /** The count before this limit was applied. */
  readonly before: number;
  /** The count after it. */
  readonly after: number;
  /** The schedule window that set the bound. */
  readonly schedule?: string;
  /**
   * Seconds between the window's opening and this decision, when this decision is what applies
   * the window (its bound moves the deployed count): the window was applied that late.
   */
  readonly lateSeconds?: number;
}

/** A cooldown or stabilization window that held alerts back. */
export interface Hold {
  readonly limit: "cooldown.scaleOut" | "cooldown.scaleIn" | "scaleInStabilization";
  readonly seconds: number;
  /** The earlier scaling that started it. */
  readonly after: { readonly from: number; readonly to: number; readonly at: string };
  /** When it ends (ISO 8601). */
  readonly until: string;
  /** The count the signals asked for, and what was left of it. */
  readonly asked: number;
  readonly allowed: number;
}

/** What one run decided for one target, and why. */
export interface Decision {
  readonly target: string;
  readonly urn: string;
  readonly configKey: string;
  /** The deployed count the decision started from. */
  readonly from: number;
  /** Which way the signals asked to move: out when any asks for more, in when all ask for less. */
  readonly direction: "out" | "in" | "none";
  /** What the winning signal asked for, before holds and limits. */
  readonly proposed: number;
  /** The count to apply, within every limit. */
  readonly to: number;
  readonly changed: boolean;
  readonly signals: readonly ResolvedSignal[];
  readonly holds: readonly Hold[];
  readonly clamps: readonly Clamp[];
  /** Schedule windows open at the decision's clock. */
  readonly windows: readonly OpenWindow[];
  /** One line: what happens and why. */
  readonly why: string;
}
