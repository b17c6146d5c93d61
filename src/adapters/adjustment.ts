import { MAX_MAGNITUDE } from "./fields.js";
import type { Adjustment } from "./signal.js";

/**
 * The written forms of an adjustment, for docs and error messages. Policy rules and alert labels
 * both use them, and both are read by `readAdjustment`, so a new form (percentages, steps) is
 * added here once.
 */
export const ADJUSTMENT_FORMS = '"+N" (add N), "-N" (remove N) or "=N" (set to N)';

const written = /^([+=-])(\d{1,7})$/;

/** Reads "+2", "-1" or "=5"; undefined when the text is none of these forms or too large. */
export function readAdjustment(text: string): Adjustment | undefined {
  const match = written.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[2]);
  if (amount > MAX_MAGNITUDE) return undefined;
  switch (match[1]) {
    case "=":
      return { type: "exact", count: amount };
    case "-":
      // `-0` would read as negative zero; a change of nothing is +0.
      return { type: "change", by: amount === 0 ? 0 : -amount };
    default:
      return { type: "change", by: amount };
  }
}

/** Writes an adjustment back in its written form, for reasons and summaries. */
export function formatAdjustment(adjustment: Adjustment): string {
  if (adjustment.type === "exact") return `=${adjustment.count}`;
  return adjustment.by < 0 ? `${adjustment.by}` : `+${adjustment.by}`;
}
