import type { Adjustment, ResolvedSignal, SimpleAdjustment } from "../../src/adapters/signal.js";
import { rulesFor } from "../../src/engine/behavior.js";
import { withinBounds } from "../../src/engine/bounds.js";
import { combine, decide, directionOf, effectiveBounds, propose } from "../../src/engine/decide.js";
import type { Clamp } from "../../src/engine/decision.js";
import { rateLimit } from "../../src/engine/rate-limit.js";
import type { OpenWindow } from "../../src/engine/schedule.js";
import type { PastScaling, ScalingMemory } from "../../src/engine/memory.js";
import { parsePolicy, type Policy, type TargetPolicy } from "../../src/policy/schema.js";

const workers: TargetPolicy = { urn: "urn:pulumi:dev::fleet::pool::workers", config: "workerCount", current: 3, min: 1, max: 10 };
const policyWith = (overrides: Partial<TargetPolicy> = {}): Policy => ({ version: 1, targets: { workers: { ...workers, ...overrides } } });
const now = new Date("2026-11-26T12:00:00Z");
const context = { now };
const delta = (by: number, target = "workers"): ResolvedSignal => ({
  target,
  adjustment: { type: "change", by },
  source: "delta",
  reason: `requested ${by}`,
});
const count = (n: number): ResolvedSignal => ({ target: "workers", adjustment: { type: "exact", count: n }, source: "count", reason: `count ${n}` });
/** An alert asking for `adjustment`: cooldowns hold alerts back, not requests. */
const alert = (adjustment: Adjustment, metric: { value?: number; threshold?: number } = {}): ResolvedSignal => ({
  target: "workers",
  adjustment,
  source: "alertmanager",
  reason: "HighCPU firing",
  alert: { name: "HighCPU", status: "firing", labels: {}, annotations: {}, ...metric },
});
const change = (by: number): SimpleAdjustment => ({ type: "change", by });
const percent = (p: number): SimpleAdjustment => ({ type: "percent", percent: p });
const exact = (n: number): SimpleAdjustment => ({ type: "exact", count: n });
const steps: Adjustment = {
  type: "steps",
  steps: [
    { upper: -10, adjustment: change(-2) },
    { lower: -10, upper: 0, adjustment: change(-1) },
    { lower: 0, upper: 10, adjustment: change(1) },
    { lower: 10, upper: 20, adjustment: change(2) },
    { lower: 20, adjustment: percent(100) },
  ],
};
const stepsAboveOnly: Adjustment = { type: "steps", steps: [{ lower: 0, upper: 10, adjustment: change(1) }, { lower: 10, adjustment: change(3) }] };
const track = (targetValue: number, tolerancePercent = 10): Adjustment => ({ type: "track", targetValue, tolerancePercent });

/** The per-run rate limits, then the bounds: what a decision applies after its holds. */
function clamp(current: number, proposed: number, target: TargetPolicy, windows: readonly OpenWindow[] = []): { to: number; clamps: Omit<Clamp, "policy">[] } {
  const limited = rateLimit(current, proposed, rulesFor(target, proposed > current ? "up" : "down"), [], 0);
  const bounded = withinBounds(limited.to, target, windows);
  const clamps = [...(limited.clamp ? [limited.clamp] : []), ...bounded.clamps].map(({ policy: _policy, ...rest }) => rest);
  return { to: bounded.to, clamps };
}

describe("propose", () => {
  it.each<[string, number, Adjustment, { value?: number; threshold?: number }, number]>([
    ["+2", 3, change(2), {}, 5],
    ["-5 below zero stops at zero", 3, change(-5), {}, 0],
    ["+1 from 0", 0, change(1), {}, 1],
    ["-1 from 0", 0, change(-1), {}, 0],
    ["-1 from 1", 1, change(-1), {}, 0],
    ["=7", 3, exact(7), {}, 7],
    ["=0", 3, exact(0), {}, 0],
    ["+50% of 4", 4, percent(50), {}, 6],
    ["+50% of 3 rounds toward zero", 3, percent(50), {}, 4],
    ["+10% of 3 rounds to zero, so adds one", 3, percent(10), {}, 4],
    ["-10% of 3 rounds to zero, so removes one", 3, percent(-10), {}, 2],
    ["-50% of 3 rounds toward zero", 3, percent(-50), {}, 2],
    ["+50% of 0 adds one", 0, percent(50), {}, 1],
    ["+50% of 1 adds one", 1, percent(50), {}, 2],
    ["-50% of 1 removes one", 1, percent(-50), {}, 0],
    ["-50% of 0 stays at zero", 0, percent(-50), {}, 0],
    ["+0% is no change", 5, percent(0), {}, 5],
    ["-200% overshoots to zero", 5, percent(-200), {}, 0],
    ["+300% of 2", 2, percent(300), {}, 8],
    ["steps: breach 5 in [0, 10)", 4, steps, { value: 85, threshold: 80 }, 5],
    ["steps: breach 0 takes the step above (lower bound inclusive)", 4, steps, { value: 80, threshold: 80 }, 5],
    ["steps: breach 10 takes [10, 20)", 4, steps, { value: 90, threshold: 80 }, 6],
    ["steps: breach 25 takes the open-ended +100%", 4, steps, { value: 105, threshold: 80 }, 8],
    ["steps: breach -10 below the threshold takes (-∞, -10] (upper inclusive)", 4, steps, { value: 70, threshold: 80 }, 2],
    ["steps: breach -5 takes (-10, 0]", 4, steps, { value: 75, threshold: 80 }, 3],
    ["steps: a breach no step covers changes nothing", 4, stepsAboveOnly, { value: 75, threshold: 80 }, 4],
    ["steps: without a threshold, nothing", 4, steps, { value: 90 }, 4],
    ["steps: without a value, nothing", 4, steps, { threshold: 80 }, 4],
    ["track: above target", 4, track(50), { value: 75 }, 6],
    ["track: below target", 10, track(60), { value: 30 }, 5],
    ["track: inside the tolerance", 10, track(60), { value: 65 }, 10],
    ["track: at the tolerance edge", 10, track(50), { value: 55 }, 10],
    ["track: just outside it", 10, track(50), { value: 56 }, 12],
    ["track: exact ratio does not round up", 3, track(0.6, 0), { value: 1.8 }, 9],
    ["track: from 0, above target starts one", 0, track(50), { value: 80 }, 1],
    ["track: from 0, below target stays", 0, track(50), { value: 10 }, 0],
    ["track: from 1, far above", 1, track(10), { value: 95 }, 10],
    ["track: a value of zero asks for zero", 4, track(50), { value: 0 }, 0],
    ["track: without a value, nothing", 4, track(50), {}, 4],
  ])("%s", (_name, current, adjustment, metric, expected) => {
    expect(propose(current, adjustment, metric).count).toBe(expected);
  });

  it("says how steps and tracking were read", () => {
    expect(propose(4, steps, { value: 92.5, threshold: 80 }).note).toBe("value 92.5, threshold 80, breach 12.5 → step +2");
    expect(propose(4, stepsAboveOnly, { value: 75, threshold: 80 }).note).toBe("value 75, threshold 80, breach -5 lies in no step");
    expect(propose(10, track(60), { value: 65 }).note).toBe("value 65 is 108.33% of target 60, within ±10%");
    expect(propose(4, track(50), { value: 75 }).note).toBe("value 75 is 150% of target 50: ceil(4 × 75 / 50) = 6");
  });
});

describe("directionOf and combine", () => {
  it.each<[string, number, number[], "out" | "in" | "none", number]>([
    ["one scale-out", 3, [5], "out", 5],
    ["scale-out wins over scale-in", 3, [1, 5], "out", 5],
    ["the larger scale-out wins", 3, [4, 6, 5], "out", 6],
    // HPA: the highest recommendation wins, so several scale-ins make the smallest cut.
    ["scale-in when all agree, by the smaller cut", 5, [4, 2], "in", 4],
    ["no scale-in when one signal holds", 5, [4, 5], "none", 5],
    ["nothing asked", 5, [], "none", 5],
    ["from 0, only out is possible", 0, [0, 1], "out", 1],
  ])("%s", (_name, current, proposals, direction, expected) => {
    expect(directionOf(current, proposals)).toBe(direction);
    expect(combine(current, proposals)).toBe(expected);
  });
});

describe("per-run rate limits (maxStep, maxStepPercent)", () => {
  it.each<[string, Partial<TargetPolicy>, number, number, number]>([
    ["none", {}, 5, 50, 50],
    ["absolute", { maxStep: 2 }, 5, 50, 7],
    ["percent of 10", { maxStepPercent: 50 }, 10, 50, 15],
    ["percent rounds up for a scale-out (HPA)", { maxStepPercent: 50 }, 5, 50, 8],
    ["percent rounds down for a scale-in (HPA)", { maxStepPercent: 50 }, 5, 0, 2],
    ["percent of 1 still allows one", { maxStepPercent: 50 }, 1, 50, 2],
    ["percent of 0 still allows one", { maxStepPercent: 50 }, 0, 50, 1],
    // HPA's selectPolicy Max, the default: the limit allowing the larger change applies.
    ["both: the larger change (percent)", { maxStep: 1, maxStepPercent: 10 }, 20, 50, 22],
    ["both: the larger change (absolute)", { maxStep: 4, maxStepPercent: 10 }, 20, 50, 24],
    ["both with selectPolicy Min: the smaller change", { maxStep: 4, maxStepPercent: 10, behavior: { scaleUp: { selectPolicy: "Min" } } }, 20, 50, 22],
    ["selectPolicy Disabled: no scale-out", { behavior: { scaleUp: { selectPolicy: "Disabled" } } }, 20, 50, 20],
    ["selectPolicy Disabled on scale-up leaves scale-in", { behavior: { scaleUp: { selectPolicy: "Disabled" } } }, 20, 5, 5],
  ])("%s", (_name, overrides, current, proposed, to) => {
    expect(clamp(current, proposed, { ...workers, min: 0, max: 100, ...overrides, current }).to).toBe(to);
  });
});

const window = (label: string, bounds: { min?: number; max?: number; count?: number }) => ({
  label,
  schedule: { cron: "* * * * *", duration: 3600, timezone: "UTC", ...bounds },
  opened: "2026-11-26T11:00:00.000Z",
  closes: "2026-11-26T13:00:00.000Z",
});

describe("clamp", () => {
  it.each<[string, Partial<TargetPolicy>, number, number, number, unknown[]]>([
    ["inside bounds: unchanged", {}, 3, 5, 5, []],
    ["above max", {}, 3, 50, 10, [{ limit: "max", value: 10, before: 50, after: 10 }]],
    ["below min", {}, 3, 0, 1, [{ limit: "min", value: 1, before: 0, after: 1 }]],
    ["exactly max", {}, 3, 10, 10, []],
    ["at max, asking for more", {}, 10, 12, 10, [{ limit: "max", value: 10, before: 12, after: 10 }]],
    ["at min, asking for less", {}, 1, 0, 1, [{ limit: "min", value: 1, before: 0, after: 1 }]],
    ["step limit up", { maxStep: 2 }, 3, 9, 5, [{ limit: "maxStep", value: 2, before: 9, after: 5 }]],
    ["step limit down", { maxStep: 2 }, 8, 1, 6, [{ limit: "maxStep", value: 2, before: 1, after: 6 }]],
    ["percent step limit", { maxStepPercent: 50 }, 4, 10, 6, [{ limit: "maxStepPercent", value: 2, before: 10, after: 6 }]],
    ["percent step limit down", { maxStepPercent: 50 }, 5, 1, 2, [{ limit: "maxStepPercent", value: 3, before: 1, after: 2 }]],
    ["percent step limit from 0", { maxStepPercent: 50, min: 0 }, 0, 5, 1, [{ limit: "maxStepPercent", value: 1, before: 5, after: 1 }]],
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

  it.each<[string, ReturnType<typeof window>[], number, number, unknown[]]>([
    ["a schedule floor raises the count past the step limit", [window("day", { min: 6 })], 3, 6, [
      { limit: "scheduleMin", value: 6, before: 3, after: 6, schedule: "day" },
    ]],
    ["a schedule ceiling lowers it", [window("night", { max: 2 })], 3, 2, [{ limit: "scheduleMax", value: 2, before: 3, after: 2, schedule: "night" }]],
    ["a count holds it", [window("launch", { count: 8 })], 3, 8, [{ limit: "scheduleMin", value: 8, before: 3, after: 8, schedule: "launch" }]],
  ])("%s", (_name, windows, proposed, to, clamps) => {
    expect(clamp(3, proposed, { ...workers, maxStep: 1 }, windows)).toEqual({ to, clamps });
  });
});

describe("effectiveBounds", () => {
  it.each<[string, ReturnType<typeof window>[], number, number]>([
    ["no window: the policy's bounds", [], 1, 10],
    ["the highest floor of several", [window("a", { min: 3 }), window("b", { min: 5 })], 5, 10],
    ["the lowest ceiling of several", [window("a", { max: 8 }), window("b", { max: 6 })], 1, 6],
    ["floor and ceiling that disagree: the floor wins", [window("a", { min: 7 }), window("b", { max: 4 })], 7, 7],
    ["a count is both", [window("a", { count: 4 })], 4, 4],
  ])("%s", (_name, windows, floor, ceiling) => {
    const bounds = effectiveBounds(workers, windows);
    expect([bounds.floor.value, bounds.ceiling.value]).toEqual([floor, ceiling]);
  });
});

describe("decide", () => {
  it("makes one decision per target with its signals, from and to", () => {
    const [decision] = decide(policyWith(), [delta(2)], context);
    expect(decision).toMatchObject({ target: "workers", urn: workers.urn, configKey: "workerCount", from: 3, proposed: 5, to: 5, changed: true, direction: "out" });
    expect(decision!.why).toBe("workers 3 → 5 (delta: requested 2)");
  });

  it("marks a decision at the bound as unchanged and explains the clamp", () => {
    const [decision] = decide(policyWith({ current: 10 }), [delta(3)], context);
    expect(decision).toMatchObject({ from: 10, proposed: 13, to: 10, changed: false });
    expect(decision!.why).toBe("workers stays at 10 (delta: requested 3) limited: max 10 turned 13 into 10");
  });

  it("explains a delta of zero", () => {
    const [decision] = decide(policyWith(), [delta(0)], context);
    expect(decision!.why).toBe("workers stays at 3 (delta: requested 0) no change asked");
  });

  it("lets a scale-out win over an exact lower count", () => {
    const [decision] = decide(policyWith(), [count(2), delta(1)], context);
    expect(decision).toMatchObject({ to: 4 });
    expect(decision!.signals).toHaveLength(2);
  });

  it("does not scale in while one signal holds (target tracking within tolerance)", () => {
    const [decision] = decide(policyWith({ current: 6 }), [alert(change(-2)), alert(track(50), { value: 52 })], context);
    expect(decision).toMatchObject({ direction: "none", to: 6, changed: false });
  });

  it("decides targets in name order", () => {
    const policy: Policy = { version: 1, targets: { web: { ...workers, urn: "urn:pulumi:a::b::c::web" }, api: workers } };
    expect(decide(policy, [delta(1, "web"), delta(1, "api")], context).map((d) => d.target)).toEqual(["api", "web"]);
  });

  it("notes how a step was chosen", () => {
    const [decision] = decide(policyWith({ current: 4 }), [alert(steps, { value: 95, threshold: 80 })], context);
    expect(decision!.why).toBe("workers 4 → 6 (alertmanager: HighCPU firing [value 95, threshold 80, breach 15 → step +2])");
  });
});

const at = (iso: string) => new Date(iso).getTime();
const memoryOf = (...scalings: PastScaling[]): ScalingMemory => ({ scalings, applied: new Map() });
/** A memory with alert recommendations only (runs that may have changed nothing). */
const recommended = (...entries: [number, string][]): ScalingMemory => ({
  scalings: [],
  applied: new Map(),
  recommendations: entries.map(([count, when]) => ({ target: "workers", count, at: at(when) })),
});
const scaled = (from: number, to: number, when: string, target = "workers"): PastScaling => ({ target, from, to, at: at(when) });
const paced: Partial<TargetPolicy> = { cooldown: { scaleOut: 60, scaleIn: 300 }, scaleInStabilization: 600 };

describe("decide with cooldowns and stabilization", () => {
  it.each<[string, Partial<TargetPolicy>, ScalingMemory, ResolvedSignal[], number, string[]]>([
    // Scale-out cooldown: alerts count from the count before it, so only a larger scale-out passes.
    ["the same alert again inside the scale-out cooldown: held", { current: 5 }, memoryOf(scaled(3, 5, "2026-11-26T11:59:30Z")), [alert(change(2))], 5, ["cooldown.scaleOut"]],
    ["a larger alert inside it: scales by the difference", { current: 5 }, memoryOf(scaled(3, 5, "2026-11-26T11:59:30Z")), [alert(change(4))], 7, ["cooldown.scaleOut"]],
    ["a larger percentage inside it, from the earlier count", { current: 6 }, memoryOf(scaled(4, 6, "2026-11-26T11:59:30Z")), [alert(percent(100))], 8, ["cooldown.scaleOut"]],
    ["an exact count above the current one passes", { current: 5 }, memoryOf(scaled(3, 5, "2026-11-26T11:59:30Z")), [alert(exact(8))], 8, []],
    ["a chain of scale-outs counts from the first one's count", { current: 7 }, memoryOf(scaled(5, 7, "2026-11-26T11:59:40Z"), scaled(3, 5, "2026-11-26T11:59:20Z")), [alert(change(4))], 7, ["cooldown.scaleOut"]],
    ["a request is not held", { current: 5 }, memoryOf(scaled(3, 5, "2026-11-26T11:59:30Z")), [delta(2)], 7, []],
    ["after the cooldown, the same alert scales again", { current: 5 }, memoryOf(scaled(3, 5, "2026-11-26T11:58:59Z")), [alert(change(2))], 7, []],
    ["exactly at its end, it has ended", { current: 5 }, memoryOf(scaled(3, 5, "2026-11-26T11:59:00Z")), [alert(change(2))], 7, []],
    ["another target's scaling holds nothing", { current: 5 }, memoryOf(scaled(3, 5, "2026-11-26T11:59:30Z", "api")), [alert(change(2))], 7, []],
    ["a scale-out cooldown does not hold a scale-in", { current: 5, scaleInStabilization: 0 }, memoryOf(scaled(3, 5, "2026-11-26T11:59:30Z")), [alert(change(-1))], 4, []],
    // Scale-in cooldown, ended by a scale-out.
    ["a scale-in inside the scale-in cooldown: held", { current: 4 }, memoryOf(scaled(5, 4, "2026-11-26T11:58:00Z")), [alert(change(-1))], 4, ["cooldown.scaleIn"]],
    ["a scale-out during it ends it (stabilization aside)", { current: 5, scaleInStabilization: 0 }, memoryOf(scaled(4, 5, "2026-11-26T11:58:30Z"), scaled(5, 4, "2026-11-26T11:58:00Z")), [alert(change(-1))], 4, []],
    ["a scale-out is never held by it", { current: 4 }, memoryOf(scaled(5, 4, "2026-11-26T11:58:00Z")), [alert(change(1))], 5, []],
    ["after it, scale-in again", { current: 4 }, memoryOf(scaled(5, 4, "2026-11-26T11:54:00Z")), [alert(change(-1))], 3, []],
    // Stabilization (HPA): a scale-in goes only to the highest recommendation in the window.
    ["scale-in inside the stabilization window: held", { current: 5 }, recommended([5, "2026-11-26T11:52:00Z"]), [alert(change(-1))], 5, ["stabilization.scaleDown"]],
    ["a lower recommendation in the window: scale-in that far", { current: 5 }, recommended([4, "2026-11-26T11:52:00Z"]), [alert(change(-3))], 4, ["stabilization.scaleDown"]],
    ["after it, scale-in", { current: 5 }, recommended([5, "2026-11-26T11:49:00Z"]), [alert(change(-1))], 4, []],
    ["a scale-in request is not held", { current: 5 }, recommended([5, "2026-11-26T11:52:00Z"]), [delta(-2)], 3, []],
    ["a request and a held alert: the request applies", { current: 5 }, recommended([5, "2026-11-26T11:52:00Z"]), [delta(-1), alert(change(-3))], 4, ["stabilization.scaleDown"]],
    ["no memory: nothing held", { current: 5 }, memoryOf(), [alert(change(-1))], 4, []],
  ])("%s", (_name, overrides, memory, signals, to, holds) => {
    const [decision] = decide(policyWith({ ...paced, ...overrides }), signals, { now, memory });
    expect(decision!.to).toBe(to);
    expect(decision!.holds.map((hold) => hold.limit)).toEqual(holds);
  });

  it("explains a hold: which scaling started it and when it ends", () => {
    const [decision] = decide(policyWith({ ...paced, current: 5 }), [alert(change(2))], { now, memory: memoryOf(scaled(3, 5, "2026-11-26T11:59:30Z")) });
    expect(decision!.holds).toEqual([
      { limit: "cooldown.scaleOut", seconds: 60, after: { from: 3, to: 5, at: "2026-11-26T11:59:30.000Z" }, until: "2026-11-26T12:00:30.000Z", asked: 7, allowed: 5 },
    ]);
    // What is remembered for later stabilization windows is the alerts' own ask, before the hold.
    expect(decision!.recommendation).toBe(7);
    expect(decision!.why).toBe(
      "workers stays at 5 (alertmanager: HighCPU firing) held by cooldown.scaleOut 60s after the scale-out 3 → 5 at 2026-11-26T11:59:30.000Z, until 2026-11-26T12:00:30.000Z: asked 7, allowed 5",
    );
  });
});

describe("decide with schedules", () => {
  const scheduled = (current: number, schedules: unknown[]) =>
    parsePolicy({ version: 1, targets: { workers: { ...workers, current, schedules }, api: { ...workers, urn: "urn:pulumi:dev::fleet::pool::api", config: "apiCount" } } }, "pulumiscale");
  // 2026-11-26 is a Thursday; 12:00 UTC is 13:00 in Berlin.
  const businessHours = { name: "business-hours", cron: "0 8 * * MON-FRI", duration: "10h", timezone: "Europe/Berlin", min: 5 };

  it("a schedule event decides every target with schedules, without a signal", () => {
    const decisions = decide(scheduled(3, [businessHours]), [], { now, evaluateSchedules: true });
    expect(decisions.map((d) => [d.target, d.from, d.to])).toEqual([["workers", 3, 5]]);
    // The window opened at 08:00 Berlin (07:00 UTC): this run, at 12:00 UTC, is what applies it, 5 h late.
    expect(decisions[0]!.clamps).toEqual([{ limit: "scheduleMin", value: 5, before: 3, after: 5, schedule: "business-hours", lateSeconds: 5 * 3600 }]);
    expect(decisions[0]!.why).toBe(
      "workers 3 → 5 (no signal: schedule event) limited: scheduleMin 5 (schedule business-hours, applied 5 h 0 min after it opened) turned 3 into 5 " +
        "schedule business-hours (min 5) open until 2026-11-26T17:00:00.000Z",
    );
  });

  it("outside the window, nothing changes", () => {
    const evening = new Date("2026-11-26T18:30:00Z");
    const [decision] = decide(scheduled(3, [businessHours]), [], { now: evening, evaluateSchedules: true });
    expect(decision).toMatchObject({ to: 3, changed: false, windows: [] });
  });

  it("other events decide only the targets their signals name, with the window's floor", () => {
    const decisions = decide(scheduled(6, [businessHours]), [alert(change(-3))], { now });
    expect(decisions.map((d) => [d.target, d.to])).toEqual([["workers", 5]]);
  });

  it("a count window holds the count against alerts", () => {
    const [decision] = decide(scheduled(4, [{ cron: "0 12 26 11 *", duration: "1h", count: 4 }]), [alert(change(3))], { now });
    expect(decision).toMatchObject({ to: 4, changed: false });
  });
});
