import type { ResolvedSignal } from "../../src/adapters/signal.js";
import { clamp, combine, decide, propose } from "../../src/engine/decide.js";
import type { Policy, TargetPolicy } from "../../src/policy/schema.js";

const workers: TargetPolicy = { urn: "urn:pulumi:dev::fleet::pool::workers", config: "workerCount", current: 3, min: 1, max: 10 };
const policyWith = (overrides: Partial<TargetPolicy> = {}): Policy => ({ version: 1, targets: { workers: { ...workers, ...overrides } } });
const delta = (by: number, target = "workers"): ResolvedSignal => ({
  target,
  adjustment: { type: "change", by },
  source: "delta",
  reason: `requested ${by}`,
});
const count = (n: number): ResolvedSignal => ({ target: "workers", adjustment: { type: "exact", count: n }, source: "count", reason: `count ${n}` });

describe("propose", () => {
  it.each([
    [3, { type: "change", by: 2 } as const, 5],
    [3, { type: "change", by: -5 } as const, -2],
    [0, { type: "change", by: 1 } as const, 1],
    [3, { type: "exact", count: 7 } as const, 7],
    [3, { type: "exact", count: 0 } as const, 0],
  ])("from %i with %j asks for %i", (current, adjustment, expected) => {
    expect(propose(current, adjustment)).toBe(expected);
  });
});

describe("combine", () => {
  it.each([
    ["one scale-out", 3, [5], 5],
    ["scale-out wins over scale-in", 3, [1, 5], 5],
    ["the larger scale-out wins", 3, [4, 6, 5], 6],
    ["scale-in when all agree, by the larger change", 5, [4, 2], 2],
    ["no scale-in when one signal holds", 5, [4, 5], 5],
    ["nothing asked", 5, [], 5],
  ])("%s", (_name, current, proposals, expected) => {
    expect(combine(current, proposals)).toBe(expected);
  });
});

describe("clamp", () => {
  it.each([
    ["inside bounds: unchanged", {}, 3, 5, 5, []],
    ["above max", {}, 3, 50, 10, [{ limit: "max", value: 10, before: 50, after: 10 }]],
    ["below min", {}, 3, -2, 1, [{ limit: "min", value: 1, before: -2, after: 1 }]],
    ["exactly max", {}, 3, 10, 10, []],
    ["step limit up", { maxStep: 2 }, 3, 9, 5, [{ limit: "maxStep", value: 2, before: 9, after: 5 }]],
    ["step limit down", { maxStep: 2 }, 8, 1, 6, [{ limit: "maxStep", value: 2, before: 1, after: 6 }]],
    [
      "current above max: back to max even past the step limit",
      { maxStep: 1 },
      15,
      17,
      10,
      [
        { limit: "maxStep", value: 1, before: 17, after: 16 },
        { limit: "max", value: 10, before: 16, after: 10 },
      ],
    ],
    ["min 0 allows scaling to zero", { min: 0 }, 1, 0, 0, []],
  ])("%s", (_name, overrides, current, proposed, to, clamps) => {
    expect(clamp(current, proposed, { ...workers, ...overrides, current })).toEqual({ to, clamps });
  });
});

describe("decide", () => {
  it("makes one decision per target with its signals, from and to", () => {
    const [decision] = decide(policyWith(), [delta(2)]);
    expect(decision).toMatchObject({ target: "workers", urn: workers.urn, configKey: "workerCount", from: 3, proposed: 5, to: 5, changed: true });
    expect(decision!.why).toBe("workers 3 → 5 (delta: requested 2)");
  });

  it("marks a decision at the bound as unchanged and explains the clamp", () => {
    const [decision] = decide(policyWith({ current: 10 }), [delta(3)]);
    expect(decision).toMatchObject({ from: 10, proposed: 13, to: 10, changed: false });
    expect(decision!.why).toBe("workers stays at 10 (delta: requested 3) limited: max 10 turned 13 into 10");
  });

  it("explains a delta of zero", () => {
    const [decision] = decide(policyWith(), [delta(0)]);
    expect(decision!.why).toBe("workers stays at 3 (delta: requested 0) no change asked");
  });

  it("lets a scale-out win over an exact lower count", () => {
    const [decision] = decide(policyWith(), [count(2), delta(1)]);
    expect(decision).toMatchObject({ to: 4 });
    expect(decision!.signals).toHaveLength(2);
  });

  it("decides targets in name order", () => {
    const policy: Policy = { version: 1, targets: { web: { ...workers, urn: "urn:pulumi:a::b::c::web" }, api: workers } };
    expect(decide(policy, [delta(1, "web"), delta(1, "api")]).map((d) => d.target)).toEqual(["api", "web"]);
  });
});
