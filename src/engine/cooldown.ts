import type { TargetPolicy } from "../policy/schema.js";
import { isAlert, iso, type Ask } from "./ask.js";
import type { Hold } from "./decision.js";
import { unitsAlertsAdded, type PastScaling } from "./memory.js";
import { propose } from "./propose.js";

/**
 * The scale-out cooldown (AWS step and simple scaling). While it lasts, the units that alerts
 * added in the scale-outs that started it count toward an alert's next scale-out: its
 * adjustment is applied to the count before them, so the same alert again asks for nothing
 * more and a larger one adds only the difference. Only what alerts added counts: units a
 * request, a schedule floor or a change outside PulumiScale added do not. Target tracking is
 * not held: its proposal is proportional to the deployed count, which its metric was measured
 * with.
 */
export function scaleOutCooldown(target: TargetPolicy, from: number, asks: readonly Ask[], scalings: readonly PastScaling[], now: number): { asks: Ask[]; holds: Hold[] } {
  const seconds = target.cooldown?.scaleOut ?? 0;
  const recent = scalings.filter((s) => unitsAlertsAdded(s) > 0 && now - s.at < seconds * 1000);
  if (recent.length === 0) return { asks: [...asks], holds: [] };
  const added = recent.reduce((sum, s) => sum + unitsAlertsAdded(s), 0);
  const base = Math.max(0, from - added);
  let held: { asked: number; allowed: number } | undefined;
  const gated = asks.map((ask) => {
    if (!isAlert(ask.signal) || ask.signal.adjustment.type === "track" || ask.proposal.count <= from) return ask;
    const rebased = propose(base, ask.signal.adjustment, ask.signal.alert).count;
    const count = Math.min(ask.proposal.count, Math.max(from, rebased));
    if (count === ask.proposal.count) return ask;
    held = { asked: Math.max(held?.asked ?? 0, ask.proposal.count), allowed: Math.max(held?.allowed ?? 0, count) };
    return { ...ask, proposal: { ...ask.proposal, count } };
  });
  if (held === undefined) return { asks: gated, holds: [] };
  const newest = recent[0]!;
  const oldest = recent.at(-1)!;
  const hold: Hold = { limit: "cooldown.scaleOut", seconds, after: scalingAt(oldest), until: iso(newest.at + seconds * 1000), ...held };
  return { asks: gated, holds: [hold] };
}

/** The scale-in cooldown: after a scale-in, alerts may not scale in again until it ends; a later scale-out ends it. */
export function scaleInCooldown(target: TargetPolicy, from: number, asks: readonly Ask[], scalings: readonly PastScaling[], now: number): { asks: Ask[]; holds: Hold[] } {
  const seconds = target.cooldown?.scaleIn ?? 0;
  const last = scalings.find((s) => s.to !== s.from);
  if (last === undefined || last.to > last.from || now - last.at >= seconds * 1000) return { asks: [...asks], holds: [] };
  const down = asks.filter((ask) => isAlert(ask.signal) && ask.proposal.count < from);
  if (down.length === 0) return { asks: [...asks], holds: [] };
  const asked = Math.min(...down.map((ask) => ask.proposal.count));
  const gated = asks.map((ask) => (down.includes(ask) ? { ...ask, proposal: { ...ask.proposal, count: from } } : ask));
  return { asks: gated, holds: [{ limit: "cooldown.scaleIn", seconds, after: scalingAt(last), until: iso(last.at + seconds * 1000), asked, allowed: from }] };
}

export function scalingAt(scaling: PastScaling): Hold["after"] {
  return { from: scaling.from, to: scaling.to, at: iso(scaling.at) };
}
