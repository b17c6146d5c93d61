import type { Adjustment, ResolvedSignal } from "../adapters/signal.js";
import type { Policy, TargetPolicy } from "../policy/schema.js";
import type { Clamp, Decision } from "./decision.js";

/** The count one adjustment asks for, starting from `current`. */
export function propose(current: number, adjustment: Adjustment): number {
  return adjustment.type === "change" ? current + adjustment.by : adjustment.count;
}

/**
 * Picks one proposal among several for a target: scaling out wins over everything; scaling in
 * happens only when every signal asks for it; within a direction the larger change wins.
 */
export function combine(current: number, proposals: readonly number[]): number {
  const up = proposals.filter((p) => p > current);
  if (up.length > 0) return Math.max(...up);
  if (proposals.length > 0 && proposals.every((p) => p < current)) return Math.min(...proposals);
  return current;
}

/** Applies the per-run step limit, then the bounds, recording each limit that bit. */
export function clamp(current: number, proposed: number, policy: TargetPolicy): { to: number; clamps: Clamp[] } {
  const clamps: Clamp[] = [];
  let to = proposed;
  if (policy.maxStep !== undefined && Math.abs(to - current) > policy.maxStep) {
    const stepped = to > current ? current + policy.maxStep : current - policy.maxStep;
    clamps.push({ limit: "maxStep", value: policy.maxStep, before: to, after: stepped });
    to = stepped;
  }
  if (to > policy.max) {
    clamps.push({ limit: "max", value: policy.max, before: to, after: policy.max });
    to = policy.max;
  }
  if (to < policy.min) {
    clamps.push({ limit: "min", value: policy.min, before: to, after: policy.min });
    to = policy.min;
  }
  return { to, clamps };
}

/**
 * Decides a bounded count for every target that has signals. Pure: the same policy and signals
 * always give the same decisions. Signals must be resolved against the policy first.
 */
export function decide(policy: Policy, signals: readonly ResolvedSignal[]): Decision[] {
  const targets = [...new Set(signals.map((signal) => signal.target))].sort();
  return targets.map((name) => {
    const target = policy.targets[name]!;
    const own = signals.filter((signal) => signal.target === name);
    const proposed = combine(target.current, own.map((signal) => propose(target.current, signal.adjustment)));
    const { to, clamps } = clamp(target.current, proposed, target);
    return {
      target: name,
      urn: target.urn,
      configKey: target.config,
      from: target.current,
      proposed,
      to,
      changed: to !== target.current,
      signals: own,
      clamps,
      why: explain(name, target.current, proposed, to, clamps, own),
    };
  });
}

function explain(
  name: string,
  from: number,
  proposed: number,
  to: number,
  clamps: readonly Clamp[],
  signals: readonly ResolvedSignal[],
): string {
  const asked = signals.map((signal) => `${signal.source}: ${signal.reason}`).join("; ");
  const limits = clamps.map((c) => `${c.limit} ${c.value} turned ${c.before} into ${c.after}`).join(", ");
  const head = to === from ? `${name} stays at ${from}` : `${name} ${from} → ${to}`;
  const detail = proposed === from && to === from ? "no change asked" : limits ? `limited: ${limits}` : "";
  return [head, `(${asked})`, detail].filter(Boolean).join(" ");
}
