import type { Decision } from "./decision.js";

/**
 * Which way the proposals ask to move: out when any asks for more, in only when every one asks
 * for less, otherwise nowhere.
 */
export function directionOf(current: number, proposals: readonly number[]): Decision["direction"] {
  if (proposals.length === 0) return "none";
  const highest = Math.max(...proposals);
  return highest > current ? "out" : highest < current ? "in" : "none";
}

/**
 * The count several proposals settle on: the highest, as HPA takes the highest recommendation
 * of its metrics. So scaling out wins over everything, several scale-ins make the smallest cut,
 * and one proposal that holds the count (a value within tolerance, a metric that is missing)
 * keeps every other from scaling in.
 */
export function combine(current: number, proposals: readonly number[]): number {
  return proposals.length === 0 ? current : Math.max(...proposals);
}
