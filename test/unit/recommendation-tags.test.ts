// The stabilization memory in stack tags: what is kept, how it reads back, and that a run that
// changed nothing leaves what the next run's window needs.
import type { ResolvedSignal } from "../../src/adapters/signal.js";
import { decide } from "../../src/engine/decide.js";
import { emptyMemory } from "../../src/engine/memory.js";
import { keptEntries, MAX_TAG_VALUE, readRecommendationTags, recommendationTags, RECOMMENDATION_TAG_PREFIX } from "../../src/engine/recommendation-tags.js";
import { parsePolicy } from "../../src/policy/schema.js";

const t0 = Date.parse("2026-11-26T08:00:00Z");
const entry = (count: number, secondsAfter: number) => ({ target: "workers", at: t0 + secondsAfter * 1000, count });
const policy = parsePolicy(
  {
    version: 1,
    targets: { workers: { urn: "urn:pulumi:dev::fleet::pool::workers", config: "workerCount", current: 10, min: 1, max: 40, scaleInStabilization: "5m" } },
  },
  "pulumiscale",
);
const tracking = (value: number): ResolvedSignal => ({
  target: "workers",
  adjustment: { type: "track", targetValue: 50, tolerancePercent: 10 },
  source: "alertmanager",
  reason: "latency",
  alert: { name: "Latency", status: "firing", labels: {}, annotations: {}, value },
});

describe("keptEntries", () => {
  it("drops entries outside the window", () => {
    expect(keptEntries([entry(9, 0), entry(8, 400)], 300, t0 + 500_000)).toEqual([entry(8, 400)]);
  });

  it("keeps only entries that can still be a window's highest or lowest", () => {
    // 6 and 7 lie below the later 9 and above the later 5: neither can bind either window again.
    const kept = keptEntries([entry(6, 0), entry(7, 10), entry(9, 20), entry(5, 30), entry(8, 40)], 300, t0 + 50_000);
    expect(kept.map((e) => e.count)).toEqual([9, 5, 8]);
  });

  it("stays within the tag value limit, dropping the oldest", () => {
    const many = Array.from({ length: 60 }, (_, i) => entry(60 - i, i));
    const kept = keptEntries(many, 3600, t0 + 61_000);
    expect(kept.map((e) => `${Math.floor(e.at / 1000)}:${e.count}`).join(" ").length).toBeLessThanOrEqual(MAX_TAG_VALUE);
    expect(kept.at(-1)).toEqual(entry(1, 59));
  });
});

describe("recommendationTags and readRecommendationTags", () => {
  it("a run that changes nothing writes its recommendation; the next run reads it and stays (issue 11, finding 5)", () => {
    const [first] = decide(policy, [tracking(52)], { now: new Date(t0), memory: emptyMemory });
    expect(first!.changed).toBe(false);
    const tags = recommendationTags(policy, [first!], [], {}, t0);
    expect(tags).toEqual({ [`${RECOMMENDATION_TAG_PREFIX}workers`]: `${t0 / 1000}:10` });
    const memory = { ...emptyMemory, recommendations: readRecommendationTags(tags) };
    const [second] = decide(policy, [tracking(20)], { now: new Date(t0 + 60_000), memory });
    expect(second!.to).toBe(10);
  });

  it("writes nothing when the value would not change, or the target keeps no window", () => {
    const [decision] = decide(policy, [tracking(52)], { now: new Date(t0), memory: emptyMemory });
    const key = `${RECOMMENDATION_TAG_PREFIX}workers`;
    const once = recommendationTags(policy, [decision!], [], {}, t0);
    expect(recommendationTags(policy, [decision!], readRecommendationTags(once), once, t0)).toEqual({});
    const without = parsePolicy({ ...policy, targets: { workers: { ...policy.targets["workers"]!, scaleInStabilization: 0 } } }, "pulumiscale");
    expect(recommendationTags(without, [decision!], [], {}, t0)).toEqual({});
    expect(recommendationTags(without, [decision!], [], { [key]: "1:2" }, t0)).toEqual({ [key]: "" });
  });

  it("ignores other tags and entries it cannot read", () => {
    expect(readRecommendationTags({ "pulumi:project": "fleet", [`${RECOMMENDATION_TAG_PREFIX}api`]: "1764000000:3 x 12:-1" })).toEqual([
      { target: "api", at: 1_764_000_000_000, count: 3 },
    ]);
  });
});
