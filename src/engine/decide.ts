import type { ResolvedSignal } from "../adapters/signal.js";
import type { Policy, TargetPolicy } from "../policy/schema.js";
import { isAlert, type Ask } from "./ask.js";
import { rulesFor } from "./behavior.js";
import { withinBounds } from "./bounds.js";
import { combine, directionOf } from "./combine.js";
import { scaleInCooldown, scaleOutCooldown } from "./cooldown.js";
import type { Clamp, Decision, Hold } from "./decision.js";
import { explain } from "./explain.js";
import { withLateness } from "./lateness.js";
import { emptyMemory, type ScalingMemory } from "./memory.js";
import { propose } from "./propose.js";
import { rateLimit } from "./rate-limit.js";
import { openWindows } from "./schedule.js";
import { stabilize } from "./stabilization.js";
import { holdBeforeZero } from "./to-zero.js";

export { propose } from "./propose.js";
export { combine, directionOf } from "./combine.js";
export { effectiveBounds } from "./bounds.js";
export { formatClamp, formatWindowBounds } from "./explain.js";

/** Everything besides the policy and the signals that a decision depends on. */
export interface DecideContext {
  /** The clock, read once by the caller: the engine never reads it itself. */
  readonly now: Date;
  /** What earlier runs did (from the stack's update history and recommendation tags). */
  readonly memory?: ScalingMemory;
  /**
   * A `schedule` event: decide every target that has schedules, not only those with signals,
   * so a window that opens raises the floor without any alert.
   */
  readonly evaluateSchedules?: boolean;
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

/**
 * One target's decision, rule by rule, in the order HPA and AWS apply them:
 * each signal proposes a count; alert cooldowns adjust alert proposals; the alerts'
 * recommendation is stabilized and kept above zero through KEDA's cooldown; requests join it
 * (they decide, unless the alerts hold or raise the count); the rate limits bound the move; the
 * bounds, with schedule windows, come last.
 */
function decideTarget(name: string, target: TargetPolicy, signals: readonly ResolvedSignal[], context: DecideContext): Decision {
  const now = context.now.getTime();
  const memory = context.memory ?? emptyMemory;
  const scalings = memory.scalings.filter((s) => s.target === name);
  const recommendations = (memory.recommendations ?? []).filter((r) => r.target === name);
  const from = target.current;
  const windows = openWindows(target.schedules ?? [], now);
  const holds: Hold[] = [];
  const clamps: Clamp[] = [];

  const proposed: Ask[] = signals.map((signal) => ({ signal, proposal: propose(from, signal.adjustment, signal.alert) }));
  const raw = proposed.map((ask) => ask.proposal.count);

  const outGate = scaleOutCooldown(target, from, proposed, scalings, now);
  const inGate = scaleInCooldown(target, from, outGate.asks, scalings, now);
  const asks = inGate.asks;
  holds.push(...outGate.holds, ...inGate.holds);

  const countsOf = (list: readonly Ask[], alerts: boolean) => list.filter((ask) => isAlert(ask.signal) === alerts).map((ask) => ask.proposal.count);
  const alertCounts = countsOf(asks, true);
  const requestCounts = countsOf(asks, false);
  const recommendation = alertCounts.length > 0 ? combine(from, alertCounts) : undefined;
  // Later runs' windows remember what the alerts asked before any hold, as HPA keeps its raw recommendations.
  const remembered = alertCounts.length > 0 ? combine(from, countsOf(proposed, true)) : undefined;

  let byAlerts: number | undefined;
  if (recommendation !== undefined) {
    const down = rulesFor(target, "down");
    const up = rulesFor(target, "up");
    const stable = stabilize(from, recommendation, recommendations, { upSeconds: up.stabilizationSeconds, downSeconds: down.stabilizationSeconds }, now);
    const kept = holdBeforeZero(target, from, stable.to, { recommendations, scalings }, now);
    holds.push(...[stable.hold, kept.hold].filter((hold) => hold !== undefined));
    byAlerts = kept.to;
  }

  // A person's request is a deliberate choice: alerts that ask to scale in (held or not) leave
  // it to decide; alerts that hold or raise the count join it, and the highest count wins.
  const combined =
    requestCounts.length === 0
      ? (byAlerts ?? from)
      : recommendation !== undefined && recommendation >= from
        ? combine(from, [byAlerts!, ...requestCounts])
        : combine(from, requestCounts);
  const limited = rateLimit(from, combined, rulesFor(target, combined > from ? "up" : "down"), scalings, now);
  if (limited.clamp) clamps.push(limited.clamp);
  const bounded = withinBounds(limited.to, target, windows);
  clamps.push(...withLateness(bounded.clamps, windows, from, now));
  const to = bounded.to;

  // What the count would have been without the alerts: only the units beyond it count against a later alert's cooldown.
  const withoutAlerts = withinBounds(combine(from, requestCounts), target, windows).to;
  const alertAdded = Math.max(0, to - Math.max(from, withoutAlerts));

  const winning = combine(from, raw);
  return {
    target: name,
    urn: target.urn,
    configKey: target.config,
    from,
    direction: directionOf(from, raw),
    proposed: winning,
    to,
    changed: to !== from,
    signals,
    holds,
    clamps,
    windows,
    ...(remembered === undefined ? {} : { recommendation: remembered }),
    alertAdded,
    why: explain({ name, from, proposed: winning, to, asks, holds, clamps, windows }),
  };
}
