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
 * Checks the targeted preview's plan before the real update: every target must change (a plan
 * that leaves a target alone means its urn or config key does not drive it, and the new count
 * would be recorded without running); only the targets may change, or, when asked, resources
 * that depend on them; and nothing may be replaced or deleted unless it is a target whose policy
 * allows it. Returns one line per violation; none means go.
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
    const loss = destructive.get(step.op);
    if (!target) {
      if (!allowDependents) violations.push(`would ${step.op} ${step.urn}, which is not a scaling target`);
      else if (loss) violations.push(`would ${loss} ${step.urn}, which depends on a scaling target; only in-place updates of dependents are allowed`);
      continue;
    }
    if (loss && !target.allowReplace) {
      violations.push(
        `would ${loss} the target ${JSON.stringify(target.name)} (${step.urn}); set allowReplace: true on the target in the policy if that is intended`,
      );
    }
  }
  violations.push(...unchangedTargets(steps, targets).map((target) => describeUnchanged(target)));
  return [...new Set(violations)];
}

/**
 * Targets the plan leaves alone. Unless the target already runs at the new count (another run got
 * there first), the update would save the count while nothing runs it, so every later run would
 * start again from the old deployed count.
 */
export function unchangedTargets(steps: readonly ResourceStep[], targets: readonly GatedTarget[]): GatedTarget[] {
  const changed = new Set(steps.filter((step) => !harmless.has(step.op)).map((step) => step.urn));
  return targets.filter((target) => !changed.has(target.urn));
}

/** Why a target the plan leaves alone is a problem; `verb` is "would not" for a plan, "did not" for an update. */
export function describeUnchanged(target: GatedTarget, verb = "would not"): string {
  return `${verb} change the target ${JSON.stringify(target.name)} (${target.urn}): check that its urn is the resource's exact URN and that the program reads the count from its config key`;
}

/** Provider resources have types `pulumi:providers:<package>`. */
function isProvider(urn: string): boolean {
  return /::pulumi:providers:[^:]+::/.test(urn);
}
