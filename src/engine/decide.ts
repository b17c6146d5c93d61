import type { ResolvedSignal } from "../adapters/signal.js";
import type { Policy, TargetPolicy } from "../policy/schema.js";
import type { Clamp, Decision, Hold } from "./decision.js";
import { emptyMemory, type PastScaling, type ScalingMemory } from "./memory.js";
import { propose, type Proposal } from "./propose.js";
import { formatLateness, withLateness } from "./lateness.js";
import { openWindows, type OpenWindow } from "./schedule.js";

export { propose } from "./propose.js";

/** Everything besides the policy and the signals that a decision depends on. */
export interface DecideContext {
  /** The clock, read once by the caller: the engine never reads it itself. */
  readonly now: Date;
  /** What earlier runs did (from the stack's update history). */
  readonly memory?: ScalingMemory;
  /**
   * A `schedule` event: decide every target that has schedules, not only those with signals,
   * so a window that opens raises the floor without any alert.
   */
  readonly evaluateSchedules?: boolean;
}

type Direction = Decision["direction"];

/** One signal and the count it asks for. */
interface Ask {
  readonly signal: ResolvedSignal;
  readonly proposal: Proposal;
}

/**
 * Which way the proposals ask to move: out when any asks for more (scale-out wins), in only
 * when every one asks for less, otherwise nowhere.
 */
export function directionOf(current: number, proposals: readonly number[]): Direction {
  if (proposals.some((count) => count > current)) return "out";
  if (proposals.length > 0 && proposals.every((count) => count < current)) return "in";
  return "none";
}

/**
 * Picks one proposal among several for a target: scaling out wins over everything; scaling in
 * happens only when every signal asks for it; within a direction the larger change wins.
 */
export function combine(current: number, proposals: readonly number[]): number {
  switch (directionOf(current, proposals)) {
    case "out":
      return Math.max(...proposals);
    case "in":
      return Math.min(...proposals);
    case "none":
      return current;
  }
}

/** The step limit that binds at `current`: the smaller of maxStep and maxStepPercent. */
export function stepLimit(target: TargetPolicy, current: number): { limit: "maxStep" | "maxStepPercent"; value: number } | undefined {
  const limits: { limit: "maxStep" | "maxStepPercent"; value: number }[] = [];
  if (target.maxStep !== undefined) limits.push({ limit: "maxStep", value: target.maxStep });
  // Rounded toward zero like a percentage adjustment, and at least one so 0 and 1 can still move.
  if (target.maxStepPercent !== undefined) {
    limits.push({ limit: "maxStepPercent", value: Math.max(1, Math.trunc((current * target.maxStepPercent) / 100)) });
  }
  return limits.reduce<(typeof limits)[number] | undefined>((smallest, next) => (smallest && smallest.value <= next.value ? smallest : next), undefined);
}

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
 * Applies the per-run step limit (relative to `current`), then the bounds, recording each limit
 * that bit. Bounds come last, so a count outside them is brought back inside even past the step
 * limit.
 */
export function clamp(current: number, proposed: number, target: TargetPolicy, windows: readonly OpenWindow[] = []): { to: number; clamps: Clamp[] } {
  const clamps: Clamp[] = [];
  let to = proposed;
  const step = stepLimit(target, current);
  if (step !== undefined && Math.abs(to - current) > step.value) {
    const stepped = to > current ? current + step.value : current - step.value;
    clamps.push({ limit: step.limit, value: step.value, before: to, after: stepped });
    to = stepped;
  }
  const { floor, ceiling } = effectiveBounds(target, windows);
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

/** A person's request (delta, count) is a deliberate choice: cooldowns hold back only alerts. */
function isAlert(signal: ResolvedSignal): boolean {
  return signal.alert !== undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Holds a scale-out back during the scale-out cooldown. Alerts are measured from the count before
 * the cooldown began (the capacity it added counts toward them, as AWS counts it), so the same
 * alert again asks for nothing more and only a larger scale-out passes.
 */
function gateScaleOut(name: string, target: TargetPolicy, from: number, asks: readonly Ask[], memory: ScalingMemory, now: number) {
  const up = asks.filter((ask) => ask.proposal.count > from);
  const asked = Math.max(...up.map((ask) => ask.proposal.count));
  const seconds = target.cooldown?.scaleOut ?? 0;
  const recent = memory.scalings.filter((s) => s.target === name && s.to > s.from && now - s.at < seconds * 1000);
  if (recent.length === 0) return { allowed: asked, holds: [] };
  const base = Math.min(from, ...recent.map((s) => s.from));
  const allowed = Math.max(
    from,
    ...up.map((ask) => (isAlert(ask.signal) ? propose(base, ask.signal.adjustment, ask.signal.alert).count : ask.proposal.count)),
  );
  if (allowed === asked) return { allowed, holds: [] };
  const first = recent.at(-1)!;
  const hold: Hold = { limit: "cooldown.scaleOut", seconds, after: scalingAt(first), until: iso(recent[0]!.at + seconds * 1000), asked, allowed };
  return { allowed, holds: [hold] };
}

/**
 * Holds alerts that scale in during the scale-in cooldown (which a later scale-out ends) and
 * during the stabilization window after a scale-out. Requests still pass.
 */
function gateScaleIn(name: string, target: TargetPolicy, from: number, asks: readonly Ask[], memory: ScalingMemory, now: number) {
  const asked = Math.min(...asks.map((ask) => ask.proposal.count));
  const own = memory.scalings.filter((s) => s.target === name);
  const lastIn = own.findIndex((s) => s.to < s.from);
  const lastOut = own.findIndex((s) => s.to > s.from);
  const holds: Hold[] = [];
  const cooldown = target.cooldown?.scaleIn ?? 0;
  const scaleIn = own[lastIn];
  if (scaleIn && now - scaleIn.at < cooldown * 1000 && !(lastOut >= 0 && lastOut < lastIn)) {
    holds.push({ limit: "cooldown.scaleIn", seconds: cooldown, after: scalingAt(scaleIn), until: iso(scaleIn.at + cooldown * 1000), asked, allowed: from });
  }
  const stabilization = target.scaleInStabilization ?? 0;
  const scaleOut = own[lastOut];
  if (scaleOut && now - scaleOut.at < stabilization * 1000) {
    holds.push({
      limit: "scaleInStabilization",
      seconds: stabilization,
      after: scalingAt(scaleOut),
      until: iso(scaleOut.at + stabilization * 1000),
      asked,
      allowed: from,
    });
  }
  if (holds.length === 0) return { allowed: asked, holds };
  const requests = asks.filter((ask) => !isAlert(ask.signal)).map((ask) => ask.proposal.count);
  const allowed = requests.length > 0 ? Math.min(...requests) : from;
  if (allowed === asked) return { allowed, holds: [] };
  return { allowed, holds: holds.map((hold) => ({ ...hold, allowed })) };
}

function scalingAt(scaling: PastScaling): Hold["after"] {
  return { from: scaling.from, to: scaling.to, at: iso(scaling.at) };
}

/**
 * Decides a bounded count for every target that has signals (and, for a schedule event, every
 * target with schedules). Pure: the same policy, signals and context always give the same
 * decisions. Signals must be resolved against the policy first.
 */
export function decide(policy: Policy, signals: readonly ResolvedSignal[], context: DecideContext): Decision[] {
  const named = signals.map((signal) => signal.target);
  const scheduled = context.evaluateSchedules
    ? Object.entries(policy.targets)
        .filter(([, target]) => (target.schedules ?? []).length > 0)
        .map(([name]) => name)
    : [];
  const targets = [...new Set([...named, ...scheduled])].sort();
  return targets.map((name) =>
    decideTarget(
      name,
      policy.targets[name]!,
      signals.filter((signal) => signal.target === name),
      context,
    ),
  );
}

function decideTarget(name: string, target: TargetPolicy, signals: readonly ResolvedSignal[], context: DecideContext): Decision {
  const now = context.now.getTime();
  const memory = context.memory ?? emptyMemory;
  const from = target.current;
  const windows = openWindows(target.schedules ?? [], now);
  const asks: Ask[] = signals.map((signal) => ({ signal, proposal: propose(from, signal.adjustment, signal.alert) }));
  const direction = directionOf(from, asks.map((ask) => ask.proposal.count));
  const proposed = combine(from, asks.map((ask) => ask.proposal.count));
  const { allowed, holds } =
    direction === "out"
      ? gateScaleOut(name, target, from, asks, memory, now)
      : direction === "in"
        ? gateScaleIn(name, target, from, asks, memory, now)
        : { allowed: from, holds: [] };
  const clamped = clamp(from, allowed, target, windows);
  const { to } = clamped;
  const clamps = withLateness(clamped.clamps, windows, from, now);
  return {
    target: name,
    urn: target.urn,
    configKey: target.config,
    from,
    direction,
    proposed,
    to,
    changed: to !== from,
    signals,
    holds,
    clamps,
    windows,
    why: explain({ name, from, proposed, to, asks, holds, clamps, windows }),
  };
}

/** "until 10:30:00Z" for a hold or a window. */
function formatHold(hold: Hold): string {
  const direction = hold.after.to > hold.after.from ? "scale-out" : "scale-in";
  return `${hold.limit} ${hold.seconds}s after the ${direction} ${hold.after.from} → ${hold.after.to} at ${hold.after.at}, until ${hold.until}`;
}

export function formatClamp(clamp: Clamp): string {
  const late = clamp.lateSeconds === undefined ? "" : `, applied ${formatLateness(clamp.lateSeconds)} after it opened`;
  const what = clamp.schedule === undefined ? `${clamp.limit} ${clamp.value}` : `${clamp.limit} ${clamp.value} (schedule ${clamp.schedule}${late})`;
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

function explain(parts: {
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
