import type { Clamp } from "./decision.js";
import type { DirectionRules, RateLimit } from "./behavior.js";
import type { PastScaling } from "./memory.js";

/**
 * The count at the start of the limit's period, as HPA works it out: the deployed count less
 * what earlier runs added within the period, plus what they removed. A limit without a period
 * holds for this run alone, from the deployed count.
 */
export function periodStart(from: number, limit: RateLimit, scalings: readonly PastScaling[], now: number): number {
  if (limit.periodSeconds === undefined) return from;
  const within = scalings.filter((scaling) => now - scaling.at < limit.periodSeconds! * 1000);
  const changed = within.reduce((sum, scaling) => sum + (scaling.to - scaling.from), 0);
  return Math.max(0, from - changed);
}

/**
 * The highest count one scale-out limit allows: the period's start plus `value` units, or plus
 * `value` percent rounded up (HPA rounds up so a small count can still grow), and at least one
 * more than the start, so a target at 0 can still start.
 */
export function scaleUpAllowance(start: number, limit: RateLimit): number {
  if (limit.type === "Pods") return start + limit.value;
  return Math.max(start + 1, Math.ceil((start * (100 + limit.value)) / 100));
}

/** The lowest count one scale-in limit allows: `value` units fewer, or `value` percent fewer rounded down (HPA). */
export function scaleDownAllowance(start: number, limit: RateLimit): number {
  if (limit.type === "Pods") return Math.max(0, start - limit.value);
  return Math.max(0, Math.floor((start * (100 - limit.value)) / 100));
}

/**
 * Applies the direction's rate limits to a move from `from` to `to`. Several limits are
 * combined by `selectPolicy`: Max lets the one allowing the largest change apply (HPA's
 * default), Min the smallest, and Disabled allows no move this way at all.
 */
export function rateLimit(
  from: number,
  to: number,
  rules: DirectionRules,
  scalings: readonly PastScaling[],
  now: number,
): { to: number; clamp?: Clamp } {
  const up = to > from;
  if (to === from || (rules.limits.length === 0 && rules.selectPolicy !== "Disabled")) return { to };
  let allowed = from;
  let policy = "selectPolicy Disabled";
  let name: Clamp["limit"] = rules.clamp;
  if (rules.selectPolicy !== "Disabled") {
    const allowances = rules.limits.map((limit) => {
      const start = periodStart(from, limit, scalings, now);
      return { limit, count: up ? scaleUpAllowance(start, limit) : scaleDownAllowance(start, limit) };
    });
    const largestChange = (rules.selectPolicy === "Max") === up;
    const chosen = allowances.reduce((best, next) => ((largestChange ? next.count > best.count : next.count < best.count) ? next : best));
    // A limit spent by earlier runs in its period allows no move, never one the other way.
    allowed = up ? Math.max(from, chosen.count) : Math.min(from, chosen.count);
    policy = describeLimit(chosen.limit);
    if (chosen.limit.name === "maxStep" || chosen.limit.name === "maxStepPercent") name = chosen.limit.name;
  }
  if (up ? to <= allowed : to >= allowed) return { to };
  // The value is the units the limit left this run, as maxStep's own value is.
  return { to: allowed, clamp: { limit: name, value: Math.abs(allowed - from), before: to, after: allowed, policy } };
}

function describeLimit(limit: RateLimit): string {
  const amount = limit.type === "Pods" ? `${limit.value}` : `${limit.value}%`;
  return `${limit.name}: ${amount} ${limit.periodSeconds === undefined ? "per run" : `per ${limit.periodSeconds}s`}`;
}
