/**
 * Types for writing a scaling policy in a TypeScript Pulumi program, checked by the compiler
 * where the program is written. This module imports nothing, so a program can import it (or
 * copy it) without pulling in zod or the action; values that Pulumi computes (`pool.urn`,
 * `pool.desiredCapacity`) may be outputs. A test keeps these types equal to what parsePolicy accepts.
 *
 * ```ts
 * import { definePolicy } from "./pulumiscale-policy";
 * export const pulumiscale = definePolicy({
 *   version: 1,
 *   targets: { workers: { urn: pool.urn, config: "workerCount", current: pool.desiredCapacity, min: 1, max: 20 } },
 * });
 * ```
 */

/** A value Pulumi may still be computing: itself, a promise of it, or an output (anything with `apply`). */
export type Deferred<T> = T | PromiseLike<T> | { apply<U>(callback: (value: T) => U): unknown };

/** "90s", "5m", "2h", "1d", or a number of seconds. */
export type Duration = number | `${number}${"s" | "m" | "h" | "d"}`;

/** "+2", "-1", "+50%", "-10%" or "=5". */
export type WrittenAdjustment = `${"+" | "-" | "="}${number}` | `${"+" | "-"}${number}%`;

/** One interval of the breach (metric value minus threshold) and what it does. */
export interface StepIntervalInput {
  lower?: number;
  upper?: number;
  adjustment: WrittenAdjustment;
}

/** What a rule does for one alert status. */
export type RuleAdjustmentInput =
  | WrittenAdjustment
  /** AWS MinAdjustmentMagnitude: the least a percentage adds or removes. */
  | { adjustment: WrittenAdjustment; minAdjustmentMagnitude?: number }
  | { steps: StepIntervalInput[]; minAdjustmentMagnitude?: number }
  /** activationThreshold: KEDA's; from 0 nothing starts at or below it, and a running target may go to 0. */
  | { targetValue: number; tolerancePercent?: number; activationThreshold?: number };

/** HPA's HPAScalingPolicy. */
export interface ScalingPolicyInput {
  type: "Pods" | "Percent";
  value: number;
  periodSeconds: number;
}

/** HPA's HPAScalingRules. */
export interface ScalingRulesInput {
  stabilizationWindowSeconds?: number;
  selectPolicy?: "Max" | "Min" | "Disabled";
  policies?: ScalingPolicyInput[];
}

export interface ScheduleInput {
  name?: string;
  /** minute hour day-of-month month day-of-week, e.g. "0 8 * * MON-FRI". */
  cron: string;
  duration: Duration;
  /** IANA time zone; default UTC. */
  timezone?: string;
  min?: number;
  max?: number;
  count?: number;
}

export interface TargetPolicyInput {
  /** The resource's exact urn (e.g. `pool.urn`), without `*`; no two targets share one. */
  urn: Deferred<string>;
  /** The stack config key holding the count; no two targets share one. */
  config: string;
  /**
   * The deployed count, read back from the resource: `pool.desiredCapacity` (AWS Auto Scaling
   * group), `service.desiredCount` (ECS). Outputs that may be undefined, like ECS's, are taken;
   * definePolicy makes an undefined count fail the deployment with the target's name.
   */
  current: Deferred<number | undefined>;
  min: Deferred<number>;
  max: Deferred<number>;
  maxStep?: number;
  maxStepPercent?: number;
  cooldown?: { scaleOut?: Duration; scaleIn?: Duration; toZero?: Duration };
  /** Another name for behavior.scaleDown.stabilizationWindowSeconds. */
  scaleInStabilization?: Duration;
  /** Kubernetes HPA behavior. */
  behavior?: { scaleUp?: ScalingRulesInput; scaleDown?: ScalingRulesInput };
  schedules?: ScheduleInput[];
  allowReplace?: boolean;
}

export interface RuleInput {
  match: {
    source?: "alertmanager" | "azure-monitor" | "cloudwatch" | "datadog" | "google-cloud-monitoring" | "grafana";
    name?: string;
    labels?: Record<string, string>;
  };
  target: string;
  firing?: RuleAdjustmentInput;
  resolved?: RuleAdjustmentInput;
  noData?: RuleAdjustmentInput;
  valueFrom?: string;
  threshold?: number;
}

export interface PolicyInput<Targets extends string = string> {
  version: 1;
  targets: Record<Targets, TargetPolicyInput>;
  rules?: RuleInput[];
}

/**
 * Returns the policy as written, except that each target's `current` fails when its value turns
 * out to be undefined (an ECS service created without desiredCount): the deployment then stops
 * with an error naming the target, rather than exporting a policy the action would refuse at
 * its next run. Its parameter type lets the compiler check the policy, and rule targets must
 * name a target of the policy.
 */
export function definePolicy<const Targets extends string>(
  policy: PolicyInput<Targets> & { rules?: (RuleInput & { target: NoInfer<Targets> })[] },
): PolicyInput<Targets> {
  const targets = Object.fromEntries(
    Object.entries<TargetPolicyInput>(policy.targets).map(([name, target]) => [name, { ...target, current: definedCount(name, target.current) }]),
  ) as Record<Targets, TargetPolicyInput>;
  return { ...policy, targets };
}

/** `current`, checked once Pulumi knows its value: a number, or an error naming the target. */
function definedCount(name: string, current: Deferred<number | undefined>): Deferred<number | undefined> {
  const check = (value: number | undefined): number => {
    if (value === undefined || value === null) {
      throw new Error(
        `definePolicy: targets.${name}.current is ${String(value)}: it must be the deployed count. ` +
          "For an ECS service, set desiredCount on it (service.desiredCount is undefined otherwise); " +
          "for an Auto Scaling group, use pool.desiredCapacity.",
      );
    }
    return value;
  };
  if (typeof current === "object" && current !== null && "apply" in current) return current.apply(check) as Deferred<number>;
  if (typeof current === "object" && current !== null && "then" in current) return Promise.resolve(current).then(check);
  return check(current);
}
