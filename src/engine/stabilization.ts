import { iso } from "./ask.js";
import type { Hold } from "./decision.js";
import type { Recommendation } from "./memory.js";

/**
 * HPA's stabilization windows. A scale-in goes only as far as the highest recommendation within
 * the scale-down window (this run's included), a scale-out only as far as the lowest within the
 * scale-up window; so a count moves only as far as every recent run agreed. Recommendations of
 * runs that changed nothing count too: they are what keeps a brief dip from scaling in.
 */
export function stabilize(
  from: number,
  recommendation: number,
  past: readonly Recommendation[],
  windows: { readonly upSeconds: number; readonly downSeconds: number },
  now: number,
): { to: number; hold?: Hold } {
  const within = (seconds: number) => past.filter((r) => now - r.at < seconds * 1000);
  const lowest = within(windows.upSeconds).reduce<Recommendation | undefined>((low, r) => (r.count < (low?.count ?? recommendation) ? r : low), undefined);
  const highest = within(windows.downSeconds).reduce<Recommendation | undefined>((high, r) => (r.count > (high?.count ?? recommendation) ? r : high), undefined);
  const up = lowest?.count ?? recommendation;
  const down = highest?.count ?? recommendation;
  let to = from;
  if (to < up) to = up;
  if (to > down) to = down;
  if (to === recommendation) return { to };
  const [binding, seconds, limit] =
    recommendation > from ? [lowest!, windows.upSeconds, "stabilization.scaleUp" as const] : [highest!, windows.downSeconds, "stabilization.scaleDown" as const];
  return {
    to,
    hold: { limit, seconds, after: { from, to: binding.count, at: iso(binding.at) }, until: iso(binding.at + seconds * 1000), asked: recommendation, allowed: to },
  };
}
