// Generated policies, signals and histories: whatever they are, a decision stays within the
// bounds and the step limits, never moves against every signal, and is the same every time.
import fc from "fast-check";
import type { Adjustment, ResolvedSignal, SimpleAdjustment } from "../../src/adapters/signal.js";
import { decide, effectiveBounds } from "../../src/engine/decide.js";
import type { PastScaling } from "../../src/engine/memory.js";
import { openWindows } from "../../src/engine/schedule.js";
import { parsePolicy, type Policy } from "../../src/policy/schema.js";

const NUM_RUNS = 10_000;
const now = new Date("2026-11-26T12:00:00Z");

const simple: fc.Arbitrary<SimpleAdjustment> = fc.oneof(
  fc.integer({ min: -30, max: 30 }).map((by) => ({ type: "change" as const, by })),
  fc.integer({ min: -300, max: 300 }).map((percent) => ({ type: "percent" as const, percent })),
  fc.integer({ min: 0, max: 60 }).map((count) => ({ type: "exact" as const, count })),
);

/** Contiguous intervals from sorted cut points, the first and last open or closed. */
const steps: fc.Arbitrary<Adjustment> = fc
  .record({
    cuts: fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 5 }).map((cuts) => [...cuts].sort((a, b) => a - b)),
    openBelow: fc.boolean(),
    openAbove: fc.boolean(),
    adjustments: fc.array(simple, { minLength: 6, maxLength: 6 }),
  })
  .map(({ cuts, openBelow, openAbove, adjustments }) => {
    const bounds: (number | undefined)[] = [openBelow ? undefined : cuts[0]! - 10, ...cuts, openAbove ? undefined : cuts.at(-1)! + 10];
    const intervals = bounds.slice(0, -1).map((lower, index) => ({
      ...(lower === undefined ? {} : { lower }),
      ...(bounds[index + 1] === undefined ? {} : { upper: bounds[index + 1]! }),
      adjustment: adjustments[index % adjustments.length]!,
    }));
    return { type: "steps" as const, steps: intervals };
  });

const track: fc.Arbitrary<Adjustment> = fc
  .record({ targetValue: fc.double({ min: 0.1, max: 1000, noNaN: true }), tolerancePercent: fc.integer({ min: 0, max: 50 }) })
  .map(({ targetValue, tolerancePercent }) => ({ type: "track" as const, targetValue, tolerancePercent }));

const signal: fc.Arbitrary<ResolvedSignal> = fc
  .record({
    adjustment: fc.oneof(simple, steps, track),
    isAlert: fc.boolean(),
    value: fc.option(fc.double({ min: -100, max: 2000, noNaN: true }), { nil: undefined }),
    threshold: fc.option(fc.double({ min: -100, max: 200, noNaN: true }), { nil: undefined }),
  })
  .map(({ adjustment, isAlert, value, threshold }) => ({
    target: "workers",
    adjustment,
    source: isAlert ? "alertmanager" : "delta",
    reason: "generated",
    ...(isAlert || adjustment.type === "steps" || adjustment.type === "track"
      ? {
          alert: {
            name: "Generated",
            status: "firing" as const,
            labels: {},
            annotations: {},
            ...(value === undefined ? {} : { value }),
            ...(threshold === undefined ? {} : { threshold }),
          },
        }
      : {}),
  }));

const scaling: fc.Arbitrary<PastScaling> = fc
  .record({ from: fc.integer({ min: 0, max: 60 }), to: fc.integer({ min: 0, max: 60 }), secondsAgo: fc.integer({ min: 0, max: 1800 }) })
  .filter(({ from, to }) => from !== to)
  .map(({ from, to, secondsAgo }) => ({ target: "workers", from, to, at: now.getTime() - secondsAgo * 1000 }));

const policy: fc.Arbitrary<Policy> = fc
  .record({
    min: fc.integer({ min: 0, max: 20 }),
    span: fc.integer({ min: 0, max: 30 }),
    current: fc.integer({ min: 0, max: 60 }),
    maxStep: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    maxStepPercent: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
    scaleOut: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
    scaleIn: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
    stabilization: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
    // Windows that are open (every minute matches) or closed (a minute that is not now).
    schedules: fc.array(
      fc.record({ open: fc.boolean(), kind: fc.constantFrom("min", "max", "count"), at: fc.integer({ min: 0, max: 1000 }) }),
      { maxLength: 3 },
    ),
  })
  .map(({ min, span, current, maxStep, maxStepPercent, scaleOut, scaleIn, stabilization, schedules }) =>
    parsePolicy(
      {
        version: 1,
        targets: {
          workers: {
            urn: "urn:pulumi:dev::fleet::pool::workers",
            config: "workerCount",
            current,
            min,
            max: min + span,
            ...(maxStep === undefined ? {} : { maxStep }),
            ...(maxStepPercent === undefined ? {} : { maxStepPercent }),
            cooldown: { ...(scaleOut === undefined ? {} : { scaleOut }), ...(scaleIn === undefined ? {} : { scaleIn }) },
            ...(stabilization === undefined ? {} : { scaleInStabilization: stabilization }),
            schedules: schedules.map(({ open, kind, at }) => ({
              cron: open ? "* * * * *" : "0 0 1 1 *",
              duration: 60,
              [kind]: min + (at % (span + 1)),
            })),
          },
        },
      },
      "pulumiscale",
    ),
  );

const input = fc.record({
  policy,
  signals: fc.array(signal, { minLength: 1, maxLength: 4 }),
  scalings: fc.array(scaling, { maxLength: 4 }).map((list) => [...list].sort((a, b) => b.at - a.at)),
});

describe("decide, over generated inputs", () => {
  it(`holds its promises in ${NUM_RUNS} cases`, () => {
    const seen = { out: 0, in: 0, none: 0, held: 0, clamped: 0, outside: 0 };
    fc.assert(
      fc.property(input, ({ policy, signals, scalings }) => {
        const memory = { scalings, applied: new Map<string, number>() };
        const [decision] = decide(policy, signals, { now, memory });
        const target = policy.targets["workers"]!;
        const { floor, ceiling } = effectiveBounds(target, openWindows(target.schedules ?? [], now.getTime()));
        const { current, min, max } = target;
        // Always within the policy's bounds, and within the open windows' bounds.
        expect(decision!.to).toBeGreaterThanOrEqual(min);
        expect(decision!.to).toBeLessThanOrEqual(max);
        expect(decision!.to).toBeGreaterThanOrEqual(floor.value);
        expect(decision!.to).toBeLessThanOrEqual(ceiling.value);
        if (current >= floor.value && current <= ceiling.value) {
          // Never against every signal: out never lowers, in never raises, disagreement holds.
          if (decision!.direction === "out") expect(decision!.to).toBeGreaterThanOrEqual(current);
          if (decision!.direction === "in") expect(decision!.to).toBeLessThanOrEqual(current);
          if (decision!.direction === "none") expect(decision!.to).toBe(current);
          // Never more than the per-run limits allow: the larger of them (HPA's selectPolicy Max),
          // a percentage rounded up for a scale-out and down for a scale-in, at least one unit.
          const up = decision!.to > current;
          const byPercent =
            target.maxStepPercent === undefined
              ? undefined
              : up
                ? Math.max(1, Math.ceil((current * (100 + target.maxStepPercent)) / 100) - current)
                : current - Math.max(0, Math.floor((current * (100 - target.maxStepPercent)) / 100));
          const allowances = [target.maxStep, byPercent].filter((limit) => limit !== undefined);
          if (allowances.length > 0) expect(Math.abs(decision!.to - current)).toBeLessThanOrEqual(Math.max(...allowances));
        } else {
          seen.outside++;
        }
        // The same inputs give the same decision.
        expect(decide(structuredClone(policy), structuredClone(signals), { now: new Date(now), memory: { scalings: structuredClone(scalings), applied: new Map() } })).toEqual([decision]);
        seen[decision!.direction]++;
        if (decision!.holds.length > 0) seen.held++;
        if (decision!.clamps.length > 0) seen.clamped++;
      }),
      { numRuns: NUM_RUNS },
    );
    // The generators reach every branch, not just the easy ones.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(NUM_RUNS / 100);
  });
});

describe("stabilization, over generated inputs", () => {
  const recommendation = fc.record({ count: fc.integer({ min: 0, max: 60 }), secondsAgo: fc.integer({ min: 0, max: 1200 }) });
  it(`never scales in below the highest recommendation of the window, in ${NUM_RUNS} cases`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 900 }),
        fc.array(recommendation, { maxLength: 6 }),
        (current, asked, window, past) => {
          const policy = parsePolicy(
            {
              version: 1,
              targets: { workers: { urn: "urn:pulumi:dev::fleet::pool::workers", config: "c", current, min: 0, max: 100, behavior: { scaleDown: { stabilizationWindowSeconds: window } } } },
            },
            "pulumiscale",
          );
          const memory = {
            scalings: [],
            applied: new Map<string, number>(),
            recommendations: past.map(({ count, secondsAgo }) => ({ target: "workers", count, at: now.getTime() - secondsAgo * 1000 })),
          };
          const signal: ResolvedSignal = {
            target: "workers",
            adjustment: { type: "exact", count: asked },
            source: "alertmanager",
            reason: "r",
            alert: { name: "a", status: "firing", labels: {}, annotations: {} },
          };
          const [decision] = decide(policy, [signal], { now, memory });
          const inWindow = past.filter((r) => r.secondsAgo < window).map((r) => r.count);
          const floor = Math.min(current, Math.max(asked, ...inWindow));
          if (asked >= current) expect(decision!.to).toBe(asked);
          else if (floor > 0) expect(decision!.to).toBe(floor);
          // Toward 0, the cooldown before zero may keep one running.
          else expect([0, 1]).toContain(decision!.to);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
