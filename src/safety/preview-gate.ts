import type { ResourceStep } from "../pulumi/events.js";

/** A scaling target as the gate sees it. */
export interface GatedTarget {
  readonly name: string;
  readonly urn: string;
  /** The policy allows the update to replace or delete this resource. */
  readonly allowReplace: boolean;
}

/** Operations that leave a resource as it is. */
const harmless = new Set(["same", "read", "refresh"]);
/** Operations that destroy the resource or swap it for a new one, by what they amount to. */
const destructive = new Map([
  ["delete", "delete"],
  ["discard", "delete"],
  ["replace", "replace"],
  ["create-replacement", "replace"],
  ["delete-replaced", "replace"],
  ["discard-replaced", "replace"],
  ["import-replacement", "replace"],
]);

/**
 * Checks the targeted preview's plan before the real update: the update may change only the
 * targets (and, when asked, the resources that depend on them), and may not replace or delete a
 * target unless its policy allows it. Returns one line per violation; none means go.
 */
export function checkPlan(steps: readonly ResourceStep[], targets: readonly GatedTarget[], allowDependents: boolean): string[] {
  const byUrn = new Map(targets.map((target) => [target.urn, target]));
  const violations: string[] = [];
  for (const step of steps) {
    if (harmless.has(step.op)) continue;
    // Pulumi refreshes the provider a target uses as part of a targeted update; an in-place
    // provider update changes no infrastructure (a provider replacement would show as the
    // replacement of its resources, which is checked below).
    if (isProvider(step.urn) && step.op === "update") continue;
    const target = byUrn.get(step.urn);
    if (!target) {
      if (!allowDependents) violations.push(`would ${step.op} ${step.urn}, which is not a scaling target`);
      continue;
    }
    const loss = destructive.get(step.op);
    if (loss && !target.allowReplace) {
      violations.push(
        `would ${loss} the target ${JSON.stringify(target.name)} (${step.urn}); set allowReplace: true on the target in the policy if that is intended`,
      );
    }
  }
  return [...new Set(violations)];
}

/** Provider resources have types `pulumi:providers:<package>`. */
function isProvider(urn: string): boolean {
  return /::pulumi:providers:[^:]+::/.test(urn);
}
