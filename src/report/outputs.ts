import type { Decision } from "../engine/decision.js";

/** The action's outputs, as documented in action.yml. */
export function actionOutputs(decisions: readonly Decision[]): Record<string, string> {
  const first = decisions[0];
  return {
    changed: String(decisions.some((d) => d.changed)),
    target: first?.target ?? "",
    previous: first ? String(first.from) : "",
    desired: first ? String(first.to) : "",
    decisions: JSON.stringify(
      decisions.map((d) => ({
        target: d.target,
        from: d.from,
        direction: d.direction,
        proposed: d.proposed,
        to: d.to,
        changed: d.changed,
        holds: d.holds,
        clamps: d.clamps,
        windows: d.windows,
        why: d.why,
        signals: d.signals,
      })),
    ),
  };
}
