import { formatLateness } from "./lateness.js";
import type { Ask } from "./ask.js";
import type { Clamp, Hold } from "./decision.js";
import type { OpenWindow } from "./schedule.js";

/** "cooldown.scaleOut 120s after the scale-out 3 → 6 at …, until …" for a hold. */
function formatHold(hold: Hold): string {
  if (hold.limit.startsWith("stabilization.")) {
    return `${hold.limit} ${hold.seconds}s: ${hold.after.to} was recommended at ${hold.after.at}, until ${hold.until}`;
  }
  const direction = hold.after.to > hold.after.from ? "scale-out" : "scale-in";
  return `${hold.limit} ${hold.seconds}s after the ${direction} ${hold.after.from} → ${hold.after.to} at ${hold.after.at}, until ${hold.until}`;
}

export function formatClamp(clamp: Clamp): string {
  const what =
    clamp.schedule !== undefined
      ? `${clamp.limit} ${clamp.value} (schedule ${clamp.schedule}${clamp.lateSeconds === undefined ? "" : `, applied ${formatLateness(clamp.lateSeconds)} after it opened`})`
      : clamp.policy !== undefined && !clamp.policy.startsWith(clamp.limit)
        ? `${clamp.limit} ${clamp.value} (${clamp.policy})`
        : `${clamp.limit} ${clamp.value}`;
  return `${what} turned ${clamp.before} into ${clamp.after}`;
}

/** "count 3", "min 5", "min 5, max 8": the bounds an open window sets, for the why and the summary. */
export function formatWindowBounds(window: OpenWindow): string {
  const { min, max, count } = window.schedule;
  if (count !== undefined) return `count ${count}`;
  return [min === undefined ? "" : `min ${min}`, max === undefined ? "" : `max ${max}`].filter(Boolean).join(", ");
}

function formatWindow(window: OpenWindow): string {
  return `schedule ${window.label} (${formatWindowBounds(window)}) open until ${window.closes}`;
}

/** The decision's one line: what happens, what asked for it, what held it back or limited it. */
export function explain(parts: {
  name: string;
  from: number;
  proposed: number;
  to: number;
  asks: readonly Ask[];
  holds: readonly Hold[];
  clamps: readonly Clamp[];
  windows: readonly OpenWindow[];
}): string {
  const { name, from, proposed, to, asks, holds, clamps, windows } = parts;
  const head = to === from ? `${name} stays at ${from}` : `${name} ${from} → ${to}`;
  const asked =
    asks.length === 0
      ? "(no signal: schedule event)"
      : `(${asks.map(({ signal, proposal }) => `${signal.source}: ${signal.reason}${proposal.note ? ` [${proposal.note}]` : ""}`).join("; ")})`;
  const held = holds.map((hold) => `held by ${formatHold(hold)}: asked ${hold.asked}, allowed ${hold.allowed}`).join("; ");
  const limits = clamps.length > 0 ? `limited: ${clamps.map(formatClamp).join(", ")}` : "";
  const open = windows.map(formatWindow).join("; ");
  const detail = proposed === from && to === from && holds.length === 0 ? "no change asked" : "";
  return [head, asked, held, limits, detail, open].filter(Boolean).join(" ");
}
