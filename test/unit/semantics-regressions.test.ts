// The findings of issue 11, each with the exact inputs, as regression tests. Where the
// issue quotes what HPA, KEDA or AWS would do, that is the expected value.
import type { Adjustment, ResolvedSignal } from "../../src/adapters/signal.js";
import { decide } from "../../src/engine/decide.js";
import type { PastScaling, ScalingMemory } from "../../src/engine/memory.js";
import { propose } from "../../src/engine/propose.js";
import { resolveSignals } from "../../src/engine/resolve.js";
import { parsePolicy, type Policy, type PolicyInput } from "../../src/policy/schema.js";

const t0 = Date.parse("2026-11-26T08:00:00Z");
const urn = "urn:pulumi:dev::fleet::pool::workers";
const policyOf = (target: Record<string, unknown>, rules?: PolicyInput["rules"]): Policy =>
  parsePolicy({ version: 1, targets: { workers: { urn, config: "workerCount", min: 0, max: 100, ...target } }, ...(rules ? { rules } : {}) }, "pulumiscale");
const alert = (adjustment: Adjustment, metric: { value?: number; threshold?: number } = {}): ResolvedSignal => ({
  target: "workers",
  adjustment,
  source: "alertmanager",
  reason: "alert",
  alert: { name: "Load", status: "firing", labels: {}, annotations: {}, ...metric },
});
const track = (targetValue: number): Adjustment => ({ type: "track", targetValue, tolerancePercent: 10 });
const change = (by: number): Adjustment => ({ type: "change", by });
const memoryOf = (scalings: PastScaling[], recommendations: { count: number; at: number }[] = []): ScalingMemory => ({
  scalings,
  applied: new Map(),
  recommendations: recommendations.map((r) => ({ target: "workers", ...r })),
});
const decideAt = (at: number, policy: Policy, signals: ResolvedSignal[], memory?: ScalingMemory) =>
  decide(policy, signals, { now: new Date(at), ...(memory ? { memory } : {}) })[0]!;

describe("1. target tracking during a scale-out cooldown", () => {
  // 3 → 6 at t0 by alerts, cooldown.scaleOut 2m; at t0 + 60 s, target 50.
  const memory = memoryOf([{ target: "workers", from: 3, to: 6, at: t0, alertAdded: 3 }]);
  const policy = policyOf({ current: 6, cooldown: { scaleOut: "2m" } });
  it.each([
    [90, 11], // HPA: ceil(6 × 90 / 50) = 11, the metric was measured with 6 running
    [125, 15], // ceil(6 × 2.5) = 15
  ])("value %d → %d, proportional to the deployed count", (value, expected) => {
    const decision = decideAt(t0 + 60_000, policy, [alert(track(50), { value })], memory);
    expect(decision.to).toBe(expected);
    expect(decision.holds).toEqual([]);
  });
});

describe("2. only what alerts added counts against an alert's scale-out cooldown (AWS)", () => {
  it("a schedule floor raise 2 → 10 at 08:00 does not hold an alert's +5 at 08:03: → 15", () => {
    const policy = policyOf({
      current: 10,
      min: 2,
      cooldown: { scaleOut: "5m" },
      schedules: [{ name: "day", cron: "0 8 * * *", duration: "10h", min: 10 }],
    });
    // The schedule event's own record: a floor raise, nothing added by alerts.
    const memory = memoryOf([{ target: "workers", from: 2, to: 10, at: t0, alertAdded: 0 }]);
    expect(decideAt(t0 + 3 * 60_000, policy, [alert(change(5))], memory).to).toBe(15);
  });

  it("the schedule event that raises the floor records that alerts added nothing", () => {
    const policy = policyOf({ current: 2, min: 2, schedules: [{ name: "day", cron: "0 8 * * *", duration: "10h", min: 10 }] });
    const decision = decide(policy, [], { now: new Date(t0), evaluateSchedules: true })[0]!;
    expect([decision.to, decision.alertAdded]).toEqual([10, 0]);
  });

  it.each([
    // An alert took 3 → 5 (+2); a person then set 8. Inside the cooldown:
    [change(2), 8], // the same +2 again adds nothing: the alert's own 2 count toward it
    [change(4), 10], // +4 adds the difference, 2, to the 8 running
  ])("a count changed outside PulumiScale is not counted: %o → %d", (adjustment, expected) => {
    const memory = memoryOf([{ target: "workers", from: 3, to: 5, at: t0, alertAdded: 2 }]);
    const policy = policyOf({ current: 8, cooldown: { scaleOut: "5m" } });
    expect(decideAt(t0 + 60_000, policy, [alert(adjustment)], memory).to).toBe(expected);
  });
});

describe("3. step bounds as AWS reads them", () => {
  it("breach 0 lies in (-10, 0]: metric 50, threshold 50, current 10 → 9", () => {
    const steps: Adjustment = { type: "steps", steps: [{ lower: -10, upper: 0, adjustment: { type: "change", by: -1 } }] };
    expect(propose(10, steps, { value: 50, threshold: 50 }).count).toBe(9);
  });

  it("the same step in a list AWS accepts (with a step open below), through decide → 9", () => {
    const policy = policyOf({ current: 10 }, [
      { match: { name: "Load" }, target: "workers", threshold: 50, firing: { steps: [{ upper: -10, adjustment: "-2" }, { lower: -10, upper: 0, adjustment: "-1" }] } },
    ]);
    const [signal] = resolveSignals(policy, [{ source: "alertmanager", reason: "alert", alert: { name: "Load", status: "firing", labels: {}, annotations: {}, value: 50 } }]).resolved;
    expect(decideAt(t0, policy, [signal!]).to).toBe(9);
  });

  it("gapped, overlapping and unbounded-less step lists are refused (see policy-engine-fields.test.ts)", () => {
    expect(() => policyOf({ current: 10 }, [{ match: { name: "Load" }, target: "workers", firing: { steps: [{ lower: -10, upper: 0, adjustment: "-1" }] } }])).toThrow(
      "policy pulumiscale.rules.0.firing.steps.0.lower: expected no lower bound on the first step",
    );
  });
});

describe("4. several scale-ins: the highest recommendation wins (HPA)", () => {
  const policy = policyOf({ current: 10 });
  it('"-3" and "-1" → 9', () => {
    expect(decideAt(t0, policy, [alert(change(-3)), alert(change(-1))]).to).toBe(9);
  });
  it("two tracking alerts asking 6 and 4 → 6", () => {
    // ceil(10 × 30 / 50) = 6, ceil(10 × 20 / 50) = 4
    expect(decideAt(t0, policy, [alert(track(50), { value: 30 }), alert(track(50), { value: 20 })]).to).toBe(6);
  });
  it('a signal for the target whose value is missing blocks the scale-in: "-3" with it → 10', () => {
    const rules: PolicyInput["rules"] = [
      { match: { name: "Latency" }, target: "workers", firing: { targetValue: 50 }, valueFrom: "value" },
      { match: { name: "Idle" }, target: "workers", firing: "-3" },
    ];
    const withRules = policyOf({ current: 10 }, rules);
    const facts = (name: string) => ({ source: "alertmanager", reason: name, alert: { name, status: "firing" as const, labels: {}, annotations: {} } });
    const { resolved, skipped } = resolveSignals(withRules, [facts("Latency"), facts("Idle")]);
    expect(skipped).toEqual([]);
    const decision = decideAt(t0, withRules, resolved);
    expect(decision.to).toBe(10);
    expect(decision.why).toContain("needs the metric value");
  });
  it("a missing value does not block a scale-out", () => {
    expect(decideAt(t0, policy, [alert(track(50)), alert(change(2))]).to).toBe(12);
  });
});

describe("5. stabilization as HPA: the highest recommendation in the window", () => {
  const policy = policyOf({ current: 10, scaleInStabilization: "5m" });
  it("current 10, an in-band recommendation of 10 at t=0, tracking asks 4 at t=60 → stays 10", () => {
    // t = 0: value 52 is within ±10% of 50, so the run recommends 10 and changes nothing.
    const first = decideAt(t0, policy, [alert(track(50), { value: 52 })]);
    expect([first.changed, first.recommendation]).toEqual([false, 10]);
    const memory = memoryOf([], [{ count: first.recommendation!, at: t0 }]);
    const second = decideAt(t0 + 60_000, policy, [alert(track(50), { value: 20 })], memory);
    expect(second.proposed).toBe(4);
    expect(second.to).toBe(10);
    expect(second.holds.map((hold) => hold.limit)).toEqual(["stabilization.scaleDown"]);
  });
  it("once the window has passed → 4", () => {
    const memory = memoryOf([], [{ count: 10, at: t0 }]);
    expect(decideAt(t0 + 5 * 60_000, policy, [alert(track(50), { value: 20 })], memory).to).toBe(4);
  });
});

describe("6. features users expect", () => {
  it('AWS MinAdjustmentMagnitude: "+25%" of 4 with magnitude 2 → 6', () => {
    const policy = policyOf({ current: 4 }, [{ match: { name: "Load" }, target: "workers", firing: { adjustment: "+25%", minAdjustmentMagnitude: 2 } }]);
    const { resolved } = resolveSignals(policy, [{ source: "alertmanager", reason: "alert", alert: { name: "Load", status: "firing", labels: {}, annotations: {} } }]);
    expect(decideAt(t0, policy, resolved).to).toBe(6);
  });

  it("a rate limit over a period: 2 Pods per 120 s stops 3 → 5 → 7 → 9 inside 2 minutes", () => {
    const policy = (current: number) => policyOf({ current, behavior: { scaleUp: { policies: [{ type: "Pods", value: 2, periodSeconds: 120 }] } } });
    const first = decideAt(t0, policy(3), [alert(change(6))]);
    expect(first.to).toBe(5);
    const memory = memoryOf([{ target: "workers", from: 3, to: 5, at: t0, alertAdded: 2 }]);
    const second = decideAt(t0 + 30_000, policy(5), [alert(change(6))], memory);
    expect(second.to).toBe(5);
    expect(second.clamps.map((c) => c.limit)).toEqual(["behavior.scaleUp"]);
    expect(decideAt(t0 + 120_000, policy(5), [alert(change(6))], memory).to).toBe(7);
  });

  it("selectPolicy Max, HPA's default: maxStep 4 + maxStepPercent 100 at 10 → 20", () => {
    expect(decideAt(t0, policyOf({ current: 10, maxStep: 4, maxStepPercent: 100 }), [alert(change(50))]).to).toBe(20);
  });

  it.each([
    ["a scale-out allowance rounds up", 15, 50, 17], // ceil(15 × 1.1) = 17
    ["a scale-in allowance rounds down", 15, 0, 13], // floor(15 × 0.9) = 13
  ])("percent rounding as HPA: %s", (_name, current, asked, expected) => {
    const rules = { policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] };
    const policy = policyOf({ current, behavior: { scaleUp: rules, scaleDown: rules } });
    expect(decideAt(t0, policy, [alert({ type: "exact", count: asked })]).to).toBe(expected);
  });

  it('KEDA: "=0" takes 3 to 1, not 0, until nothing has been active for the cooldown (default 5m with min 0)', () => {
    const policy = (current: number) => policyOf({ current, min: 0 });
    const zero = alert({ type: "exact", count: 0 });
    const active = memoryOf([{ target: "workers", from: 1, to: 3, at: t0, alertAdded: 2 }]);
    const first = decideAt(t0 + 60_000, policy(3), [zero], active);
    expect(first.to).toBe(1);
    expect(first.holds.map((h) => h.limit)).toEqual(["cooldown.toZero"]);
    expect(decideAt(t0 + 5 * 60_000, policy(1), [zero], active).to).toBe(0);
  });

  it("KEDA: with no activity remembered, the cooldown starts now, and the recommendation of 0 is what a later run counts from", () => {
    const policy = (current: number) => policyOf({ current, min: 0, cooldown: { toZero: "2m" } });
    const zero = alert({ type: "exact", count: 0 });
    expect(decideAt(t0, policy(3), [zero]).to).toBe(1);
    expect(decideAt(t0 + 120_000, policy(1), [zero], memoryOf([], [{ count: 0, at: t0 }])).to).toBe(0);
  });

  it.each([
    [0, 3, 0], // at or below the activation threshold nothing starts
    [0, 6, 1], // above it, from 0, one starts
    [4, 3, 1], // running and idle: toward 0, held at 1 by the cooldown
  ])("KEDA activation threshold 5: from %d, value %d → %d", (current, value, expected) => {
    const adjustment: Adjustment = { type: "track", targetValue: 50, tolerancePercent: 10, activationThreshold: 5 };
    expect(decideAt(t0, policyOf({ current, min: 0 }), [alert(adjustment, { value })]).to).toBe(expected);
  });
});
