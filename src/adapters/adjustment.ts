import { MAX_MAGNITUDE } from "./fields.js";
import type { Adjustment, SimpleAdjustment, StepInterval } from "./signal.js";

/**
 * The written forms of an adjustment, for docs and error messages. Policy rules and alert labels
 * both use them, and both are read by `readAdjustment`, so a new form is added here once.
 */
export const ADJUSTMENT_FORMS = '"+N" (add N), "-N" (remove N), "+N%" or "-N%" (add or remove N percent) or "=N" (set to N)';

/** The largest percentage a `+N%` or `-N%` may name: a hundredfold growth is a typo, not a plan. */
export const MAX_PERCENT = 10_000;

const written = /^([+=-])(\d{1,7})(%?)$/;

/** Reads "+2", "-1", "+50%", "-10%" or "=5"; undefined when the text is none of these forms or too large. */
export function readAdjustment(text: string): SimpleAdjustment | undefined {
  const match = written.exec(text.trim());
  if (!match) return undefined;
  const [, sign, digits, percent] = match;
  const amount = Number(digits);
  if (percent) {
    if (sign === "=" || amount > MAX_PERCENT) return undefined;
    // `-0%` would read as negative zero; a change of nothing is +0%.
    return { type: "percent", percent: sign === "-" && amount !== 0 ? -amount : amount };
  }
  if (amount > MAX_MAGNITUDE) return undefined;
  switch (sign) {
    case "=":
      return { type: "exact", count: amount };
    case "-":
      return { type: "change", by: amount === 0 ? 0 : -amount };
    default:
      return { type: "change", by: amount };
  }
}

/**
 * The units a percentage adds or removes from `current`: rounded toward zero, but never less
 * than one unit for a non-zero percentage, so "+10%" of 3 still adds one (AWS does the same with
 * its minimum adjustment magnitude of one).
 */
export function percentOf(current: number, percent: number, minMagnitude = 1): number {
  if (percent === 0) return 0;
  const units = Math.trunc((current * percent) / 100);
  // AWS MinAdjustmentMagnitude: a smaller change is raised to it, keeping its direction.
  if (Math.abs(units) < minMagnitude) return percent > 0 ? minMagnitude : -minMagnitude;
  return units;
}

/** Writes an adjustment back in its written form, for reasons and summaries. */
export function formatAdjustment(adjustment: Adjustment): string {
  switch (adjustment.type) {
    case "exact":
      return `=${adjustment.count}`;
    case "change":
      return adjustment.by < 0 ? `${adjustment.by}` : `+${adjustment.by}`;
    case "percent": {
      const written = adjustment.percent < 0 ? `${adjustment.percent}%` : `+${adjustment.percent}%`;
      return adjustment.minMagnitude === undefined ? written : `${written} (at least ${adjustment.minMagnitude})`;
    }
    case "steps":
      return `steps ${adjustment.steps.map(formatStep).join(", ")}`;
    case "track":
      return `track ${adjustment.targetValue} ±${adjustment.tolerancePercent}%`;
  }
}

/** `0..10 +1`: the breach interval and its adjustment. */
export function formatStep(step: StepInterval): string {
  const lower = step.lower === undefined ? "-∞" : String(step.lower);
  const upper = step.upper === undefined ? "+∞" : String(step.upper);
  return `${lower}..${upper} ${formatAdjustment(step.adjustment)}`;
}
