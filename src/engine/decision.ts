import type { ResolvedSignal } from "../adapters/signal.js";
import type { OpenWindow } from "./schedule.js";

/** A limit that changed what the signals asked for. */
export interface Clamp {
  readonly limit: "min" | "max" | "maxStep" | "maxStepPercent" | "behavior.scaleUp" | "behavior.scaleDown" | "scheduleMin" | "scheduleMax";
  /** The bound, or for a rate limit the units it allowed this run. */
  readonly value: number;
  /** The count before this limit was applied. */
  readonly before: number;
  /** The count after it. */
  readonly after: number;
  /** The schedule window that set the bound. */
  readonly schedule?: string;
  /** The rate limit that bound, when it is one of behavior's policies: `policies[0]: 4 Pods per 60s`. */
  readonly policy?: string;
  /**
   * Seconds between the window's opening and this decision, when this decision is what applies
   * the window (its bound moves the deployed count): the window was applied that late.
   */
  readonly lateSeconds?: number;
}

/** A cooldown or stabilization window that held alerts back. */
export interface Hold {
  readonly limit: "cooldown.scaleOut" | "cooldown.scaleIn" | "cooldown.toZero" | "stabilization.scaleDown" | "stabilization.scaleUp";
  readonly seconds: number;
  /**
   * What started it: the earlier scaling (cooldowns), or the recommendation that bound (the
   * stabilization windows: `to` is the count recommended at `at`, `from` today's count).
   */
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
  /**
   * The count the alerts recommended (the highest of their proposals, before stabilization and
   * limits); remembered for later runs' stabilization windows. Missing without alerts.
   */
  readonly recommendation?: number;
  /** Units the alerts added beyond what requests and bounds alone would have: what a scale-out cooldown counts. */
  readonly alertAdded: number;
  /** One line: what happens and why. */
  readonly why: string;
}
