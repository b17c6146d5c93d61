import type { ResolvedSignal } from "../adapters/signal.js";
import type { Proposal } from "./propose.js";

/** One signal and the count it asks for. */
export interface Ask {
  readonly signal: ResolvedSignal;
  readonly proposal: Proposal;
}

/** A person's request (delta, count) is a deliberate choice: cooldowns and stabilization hold back only alerts. */
export function isAlert(signal: ResolvedSignal): boolean {
  return signal.alert !== undefined;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
