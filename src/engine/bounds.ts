import type { TargetPolicy } from "../policy/schema.js";
import type { Clamp } from "./decision.js";
import type { OpenWindow } from "./schedule.js";

interface Bound {
  readonly value: number;
  readonly limit: Clamp["limit"];
  readonly schedule?: string;
}

/** The target's bounds with the open schedule windows applied: floors rise, ceilings fall, floors win. */
export function effectiveBounds(target: TargetPolicy, windows: readonly OpenWindow[]): { floor: Bound; ceiling: Bound } {
  let floor: Bound = { value: target.min, limit: "min" };
  let ceiling: Bound = { value: target.max, limit: "max" };
  for (const window of windows) {
    const low = window.schedule.count ?? window.schedule.min;
    const high = window.schedule.count ?? window.schedule.max;
    if (low !== undefined && low > floor.value) floor = { value: low, limit: "scheduleMin", schedule: window.label };
    if (high !== undefined && high < ceiling.value) ceiling = { value: high, limit: "scheduleMax", schedule: window.label };
  }
  // Two windows that disagree: the higher floor wins, as scaling out wins over scaling in.
  if (floor.value > ceiling.value) ceiling = { ...floor, limit: "scheduleMin" };
  return { floor, ceiling };
}

/**
 * Brings a count inside the bounds, recording the bound that bit. Bounds come last in a
 * decision, so a count outside them is brought back inside even past the rate limits.
 */
export function withinBounds(count: number, target: TargetPolicy, windows: readonly OpenWindow[]): { to: number; clamps: Clamp[] } {
  const { floor, ceiling } = effectiveBounds(target, windows);
  const clamps: Clamp[] = [];
  let to = count;
  if (to > ceiling.value) {
    clamps.push({ limit: ceiling.limit, value: ceiling.value, before: to, after: ceiling.value, ...(ceiling.schedule ? { schedule: ceiling.schedule } : {}) });
    to = ceiling.value;
  }
  if (to < floor.value) {
    clamps.push({ limit: floor.limit, value: floor.value, before: to, after: floor.value, ...(floor.schedule ? { schedule: floor.schedule } : {}) });
    to = floor.value;
  }
  return { to, clamps };
}
