import { formatAdjustment, percentOf } from "../adapters/adjustment.js";
import type { Adjustment, AlertFacts, StepInterval } from "../adapters/signal.js";

/** The count one adjustment asks for, and how it was worked out when that needs saying. */
export interface Proposal {
  readonly count: number;
  readonly note?: string;
}

/** What an adjustment may read besides the count: the alert's metric value and threshold. */
export type Metric = Pick<AlertFacts, "value" | "threshold">;

/** Whether the adjustment needs the alert's metric value (and, for steps, a threshold). */
export function needsMetric(adjustment: Adjustment): boolean {
  return adjustment.type === "steps" || adjustment.type === "track";
}

/** The count `adjustment` asks for, starting from `current`. Never negative. */
export function propose(current: number, adjustment: Adjustment, metric: Metric = {}): Proposal {
  switch (adjustment.type) {
    case "change":
      return { count: Math.max(0, current + adjustment.by) };
    case "percent":
      return { count: Math.max(0, current + percentOf(current, adjustment.percent, adjustment.minMagnitude)) };
    case "exact":
      return { count: adjustment.count };
    case "steps":
      return proposeStep(current, adjustment.steps, metric);
    case "track":
      return proposeTracking(current, adjustment, metric);
  }
}

/**
 * Whether the breach lies in the step (AWS): above the threshold the lower bound is inclusive
 * and the upper exclusive; below it, the lower exclusive and the upper inclusive. At the
 * threshold itself both rules hold their own side's bound at 0: a step starting at 0 and one
 * ending at 0 both include it.
 */
export function inStep(step: StepInterval, breach: number): boolean {
  const lower = step.lower ?? -Infinity;
  const upper = step.upper ?? Infinity;
  if (breach > 0) return lower <= breach && breach < upper;
  if (breach < 0) return lower < breach && breach <= upper;
  return (lower <= 0 && 0 < upper) || (lower < 0 && 0 <= upper);
}

/** The step a breach falls in; at the threshold a step starting at 0 comes before one ending there. */
export function stepFor(steps: readonly StepInterval[], breach: number): StepInterval | undefined {
  if (breach === 0) return steps.find((step) => (step.lower ?? -Infinity) === 0) ?? steps.find((step) => inStep(step, 0));
  return steps.find((step) => inStep(step, breach));
}

function proposeStep(current: number, steps: readonly StepInterval[], { value, threshold }: Metric): Proposal {
  if (value === undefined || threshold === undefined) {
    return { count: current, note: `steps need the metric value and a threshold (value ${value ?? "unknown"}, threshold ${threshold ?? "unknown"})` };
  }
  const breach = value - threshold;
  const step = stepFor(steps, breach);
  const measured = `value ${value}, threshold ${threshold}, breach ${round(breach)}`;
  if (step === undefined) return { count: current, note: `${measured} lies in no step` };
  const { count } = propose(current, step.adjustment);
  return { count, note: `${measured} → step ${formatAdjustment(step.adjustment)}` };
}

function proposeTracking(current: number, adjustment: Extract<Adjustment, { type: "track" }>, { value }: Metric): Proposal {
  const { targetValue, tolerancePercent, activationThreshold } = adjustment;
  if (value === undefined) return { count: current, note: "target tracking needs the metric value" };
  const ratio = value / targetValue;
  const measured = `value ${value} is ${round(ratio * 100)}% of target ${targetValue}`;
  // KEDA: at or below the activation threshold the trigger is inactive: from 0 nothing starts, and
  // a running target may go to 0 (after cooldown.toZero).
  if (activationThreshold !== undefined && value <= activationThreshold) {
    return { count: 0, note: `${measured}, at or below the activation threshold ${activationThreshold}` };
  }
  if (activationThreshold !== undefined && current === 0) return { count: 1, note: `${measured}, above the activation threshold ${activationThreshold}: from 0, start one` };
  // The epsilon keeps 55 / 50 inside a 10% band despite binary fractions.
  if (Math.abs(ratio - 1) <= tolerancePercent / 100 + 1e-9) return { count: current, note: `${measured}, within ±${tolerancePercent}%` };
  // Nothing running gives nothing to scale in proportion to: above target, start one.
  if (current === 0) return { count: ratio > 1 ? 1 : 0, note: `${measured}, from 0` };
  // The small epsilon keeps 3 × 0.6 / 0.6 from rounding up to 4.
  const count = Math.max(0, Math.ceil((current * value) / targetValue - 1e-9));
  return { count, note: `${measured}: ceil(${current} × ${value} / ${targetValue}) = ${count}` };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
