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
      return { count: Math.max(0, current + percentOf(current, adjustment.percent)) };
    case "exact":
      return { count: adjustment.count };
    case "steps":
      return proposeStep(current, adjustment.steps, metric);
    case "track":
      return proposeTracking(current, adjustment.targetValue, adjustment.tolerancePercent, metric);
  }
}

/** Whether the breach lies in the step: lower bound inclusive above the threshold, upper below (AWS). */
function inStep(step: StepInterval, breach: number): boolean {
  const lower = step.lower ?? -Infinity;
  const upper = step.upper ?? Infinity;
  return breach >= 0 ? lower <= breach && breach < upper : lower < breach && breach <= upper;
}

function proposeStep(current: number, steps: readonly StepInterval[], { value, threshold }: Metric): Proposal {
  if (value === undefined || threshold === undefined) {
    return { count: current, note: `steps need the metric value and a threshold (value ${value ?? "unknown"}, threshold ${threshold ?? "unknown"})` };
  }
  const breach = value - threshold;
  const step = steps.find((candidate) => inStep(candidate, breach));
  const measured = `value ${value}, threshold ${threshold}, breach ${round(breach)}`;
  if (step === undefined) return { count: current, note: `${measured} lies in no step` };
  const { count } = propose(current, step.adjustment);
  return { count, note: `${measured} → step ${formatAdjustment(step.adjustment)}` };
}

function proposeTracking(current: number, targetValue: number, tolerancePercent: number, { value }: Metric): Proposal {
  if (value === undefined) return { count: current, note: "target tracking needs the metric value" };
  const ratio = value / targetValue;
  const measured = `value ${value} is ${round(ratio * 100)}% of target ${targetValue}`;
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
