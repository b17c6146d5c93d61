/**
 * Types for writing a scaling policy in a TypeScript Pulumi program, checked by the compiler
 * where the program is written. This module imports nothing, so a program can import it (or
 * copy it) without pulling in zod or the action; values that Pulumi computes (`pool.urn`,
 * `pool.size`) may be outputs. A test keeps these types equal to what parsePolicy accepts.
 *
 * ```ts
 * import { definePolicy } from "./pulumiscale-policy";
 * export const pulumiscale = definePolicy({
 *   version: 1,
 *   targets: { workers: { urn: pool.urn, config: "workerCount", current: pool.size, min: 1, max: 20 } },
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
  | { steps: StepIntervalInput[] }
  | { targetValue: number; tolerancePercent?: number };

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
  current: Deferred<number>;
  min: Deferred<number>;
  max: Deferred<number>;
  maxStep?: number;
  maxStepPercent?: number;
  cooldown?: { scaleOut?: Duration; scaleIn?: Duration };
  scaleInStabilization?: Duration;
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
 * Returns the policy unchanged; its parameter type lets the compiler check the policy, and
 * rule targets must name a target of the policy.
 */
export function definePolicy<const Targets extends string>(
  policy: PolicyInput<Targets> & { rules?: (RuleInput & { target: NoInfer<Targets> })[] },
): PolicyInput<Targets> {
  return policy;
}
