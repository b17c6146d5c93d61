import type { Decision } from "../engine/decision.js";
import type { SkippedSignal } from "../engine/resolve.js";

/**
 * Skipped signals that are expected to change nothing: a resolution or missing data that no rule
 * gives an adjustment, and a redelivery of an event an earlier run applied. Warning about those
 * on every run would teach people to ignore the warning.
 */
function isExpectedNoOp(skipped: SkippedSignal): boolean {
  if (skipped.why.startsWith("redelivery:")) return true;
  return skipped.signal.alert !== undefined && skipped.signal.alert.status !== "firing";
}

/**
 * Why the run scaled nothing although signals came, or undefined. Set when every signal was
 * skipped and at least one of them asked for something (a firing alert): the run is green, so
 * without this the alert would vanish into a "Skipped" line nobody reads.
 */
export function allSkippedWarning(outcome: { readonly decisions: readonly Decision[]; readonly skipped: readonly SkippedSignal[] }): string | undefined {
  const decided = outcome.decisions.some((decision) => decision.signals.length > 0);
  if (decided || outcome.skipped.length === 0 || outcome.skipped.every(isExpectedNoOp)) return undefined;
  const lines = outcome.skipped.map(({ signal, why }) => `- ${signal.source}: ${signal.reason}: ${why}`);
  return [
    `Every signal was skipped, so nothing was scaled (${outcome.skipped.length} ${outcome.skipped.length === 1 ? "signal" : "signals"}):`,
    ...lines,
    "To scale on these alerts, add a policy rule that matches them, or give them the pulumiscale_target and pulumiscale_adjust labels (docs/events.md). Check the policy against a saved event with: npx pulumiscale validate --policy <file> --events <event.json>",
  ].join("\n");
}

/** The `skipped` output: every skipped signal as JSON, `[]` when none. */
export function skippedOutput(skipped: readonly SkippedSignal[]): string {
  return JSON.stringify(
    skipped.map(({ signal, why }) => ({
      source: signal.source,
      reason: signal.reason,
      why,
      ...(signal.target === undefined ? {} : { target: signal.target }),
      ...(signal.deliveryId === undefined ? {} : { deliveryId: signal.deliveryId }),
      ...(signal.alert === undefined ? {} : { alert: signal.alert.name, status: signal.alert.status }),
    })),
  );
}
