import type { Policy } from "../policy/schema.js";
import { rulesFor } from "./behavior.js";
import type { Decision } from "./decision.js";
import type { Recommendation } from "./memory.js";
import { toZeroSeconds } from "./to-zero.js";

/**
 * The stabilization windows need the recommendations of runs that changed nothing, which make
 * no update and so leave no record in the update history. They are kept in stack tags instead
 * (`pulumi stack tag set`), one per target: part of the stack's own metadata, which every later
 * run reads, on every backend, with no store of its own.
 */
export const RECOMMENDATION_TAG_PREFIX = "pulumiscale:rec:";

/** Tag values are kept this short, the common limit of tag stores; the oldest entries go first. */
export const MAX_TAG_VALUE = 256;

/** `1764652000:10 1764652060:4`: seconds since the epoch and the count, oldest first. */
function encode(entries: readonly Recommendation[]): string {
  return entries.map((entry) => `${Math.floor(entry.at / 1000)}:${entry.count}`).join(" ");
}

/** The recommendations held in the stack's tags. Entries that cannot be read are ignored. */
export function readRecommendationTags(tags: Readonly<Record<string, string>>): Recommendation[] {
  const read: Recommendation[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (!key.startsWith(RECOMMENDATION_TAG_PREFIX)) continue;
    const target = key.slice(RECOMMENDATION_TAG_PREFIX.length);
    for (const item of value.split(" ")) {
      const match = /^(\d{1,12}):(\d{1,7})$/.exec(item);
      if (match) read.push({ target, at: Number(match[1]) * 1000, count: Number(match[2]) });
    }
  }
  return read;
}

/**
 * The entries a later run can still need: within the longest window the target has, and of
 * those only the ones that can still bind. An entry with a newer one at least as high never sets
 * a scale-down window's highest, and with a newer one at least as low never sets a scale-up
 * window's lowest; the cooldown before zero needs the newest entry above 0 and the oldest 0
 * after it.
 */
export function keptEntries(entries: readonly Recommendation[], windowSeconds: number, now: number): Recommendation[] {
  const within = entries.filter((entry) => now - entry.at < windowSeconds * 1000).sort((a, b) => a.at - b.at);
  const lastActive = within.findLastIndex((entry) => entry.count > 0);
  const firstQuiet = within.findIndex((entry, index) => index > lastActive && entry.count === 0);
  const kept = within.filter((entry, index) => {
    const newer = within.slice(index + 1);
    const highest = newer.every((later) => later.count < entry.count);
    const lowest = newer.every((later) => later.count > entry.count);
    return highest || lowest || index === lastActive || index === firstQuiet;
  });
  while (kept.length > 1 && encode(kept).length > MAX_TAG_VALUE) kept.shift();
  return kept;
}

/**
 * The tags to write after a run: for each decided target with a recommendation, its remembered
 * entries with this run's added. Only tags whose value changes are returned, so a run whose
 * targets need no memory writes none.
 */
export function recommendationTags(
  policy: Policy,
  decisions: readonly Decision[],
  remembered: readonly Recommendation[],
  tags: Readonly<Record<string, string>>,
  now: number,
): Record<string, string> {
  const changed: Record<string, string> = {};
  for (const decision of decisions) {
    if (decision.recommendation === undefined) continue;
    const target = policy.targets[decision.target]!;
    const window = Math.max(rulesFor(target, "up").stabilizationSeconds, rulesFor(target, "down").stabilizationSeconds, toZeroSeconds(target));
    const key = `${RECOMMENDATION_TAG_PREFIX}${decision.target}`;
    const own = remembered.filter((entry) => entry.target === decision.target);
    const value = window === 0 ? "" : encode(keptEntries([...own, { target: decision.target, at: now, count: decision.recommendation }], window, now));
    if (value !== (tags[key] ?? "")) changed[key] = value;
  }
  return changed;
}
