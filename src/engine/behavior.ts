import type { TargetPolicy } from "../policy/schema.js";
import type { Clamp } from "./decision.js";

/** One rate limit: `value` units (Pods) or percent (Percent) per period, or per run without one. */
export interface RateLimit {
  /** Where the policy wrote it: maxStep, maxStepPercent, behavior.scaleUp.policies[0], … */
  readonly name: string;
  readonly type: "Pods" | "Percent";
  readonly value: number;
  /** Undefined: the limit holds for one run, measured from the deployed count (maxStep, maxStepPercent). */
  readonly periodSeconds?: number;
}

/** How one direction may move, as HPA's HPAScalingRules. */
export interface DirectionRules {
  readonly stabilizationSeconds: number;
  readonly selectPolicy: "Max" | "Min" | "Disabled";
  readonly limits: readonly RateLimit[];
  /** The clamp name of these limits when they bind. */
  readonly clamp: Clamp["limit"];
}

/**
 * The target's rules for scaling out (`up`) or in: HPA's `behavior`, with `maxStep` and
 * `maxStepPercent` as limits per run in both directions, and `scaleInStabilization` as the
 * scale-down stabilization window it is another name for.
 */
export function rulesFor(target: TargetPolicy, direction: "up" | "down"): DirectionRules {
  const key = direction === "up" ? "scaleUp" : "scaleDown";
  const rules = target.behavior?.[key];
  const perRun: RateLimit[] = [
    ...(target.maxStep === undefined ? [] : [{ name: "maxStep", type: "Pods" as const, value: target.maxStep }]),
    ...(target.maxStepPercent === undefined ? [] : [{ name: "maxStepPercent", type: "Percent" as const, value: target.maxStepPercent }]),
  ];
  const perPeriod = (rules?.policies ?? []).map((policy, index) => ({ name: `behavior.${key}.policies[${index}]`, ...policy }));
  const stabilizationSeconds = rules?.stabilizationWindowSeconds ?? (direction === "down" ? (target.scaleInStabilization ?? 0) : 0);
  return {
    stabilizationSeconds,
    selectPolicy: rules?.selectPolicy ?? "Max",
    limits: [...perRun, ...perPeriod],
    clamp: direction === "up" ? "behavior.scaleUp" : "behavior.scaleDown",
  };
}
