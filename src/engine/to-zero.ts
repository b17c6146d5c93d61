import type { TargetPolicy } from "../policy/schema.js";
import { iso } from "./ask.js";
import type { Hold } from "./decision.js";
import type { PastScaling, Recommendation } from "./memory.js";

/** KEDA's default cooldownPeriod: how long a target with min 0 waits before going to zero. */
export const DEFAULT_TO_ZERO_SECONDS = 300;

export function toZeroSeconds(target: TargetPolicy): number {
  return target.cooldown?.toZero ?? (target.min === 0 ? DEFAULT_TO_ZERO_SECONDS : 0);
}

/**
 * KEDA's cooldown before scaling to zero: alerts may take a running target to 0 only once no
 * run has recommended more than 0, and no scaling has left it above 0, for `cooldown.toZero`.
 * Until then it stays at 1, as KEDA keeps one replica until its cooldownPeriod has passed.
 * With no activity remembered, the cooldown runs from the first remembered recommendation of 0,
 * or from now: a count above 0 was put there by something, so zero is never reached at once.
 */
export function holdBeforeZero(
  target: TargetPolicy,
  from: number,
  recommendation: number,
  past: { readonly recommendations: readonly Recommendation[]; readonly scalings: readonly PastScaling[] },
  now: number,
): { to: number; hold?: Hold } {
  const seconds = toZeroSeconds(target);
  if (recommendation !== 0 || from === 0 || seconds === 0) return { to: recommendation };
  const active = [
    ...past.recommendations.filter((r) => r.count > 0).map((r) => ({ at: r.at, from, to: r.count })),
    ...past.scalings.filter((s) => s.to > 0).map((s) => ({ at: s.at, from: s.from, to: s.to })),
  ].reduce<{ at: number; from: number; to: number } | undefined>((latest, next) => (latest === undefined || next.at > latest.at ? next : latest), undefined);
  const quiet = past.recommendations.filter((r) => r.count === 0 && (active === undefined || r.at > active.at));
  const since = active ?? { at: Math.min(now, ...quiet.map((r) => r.at)), from, to: 0 };
  if (now - since.at >= seconds * 1000) return { to: 0 };
  return {
    to: 1,
    hold: { limit: "cooldown.toZero", seconds, after: { from: since.from, to: since.to, at: iso(since.at) }, until: iso(since.at + seconds * 1000), asked: 0, allowed: 1 },
  };
}
