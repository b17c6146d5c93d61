// Target tracking and rate limits against Kubernetes' HorizontalPodAutoscaler: an exact integer
// form of HPA's formula (BigInt, no floating point) over 100,000 generated cases, and the
// examples of the HPA documentation as table tests, quoted with their source.
import type { Adjustment, ResolvedSignal } from "../../src/adapters/signal.js";
import { rulesFor } from "../../src/engine/behavior.js";
import { decide } from "../../src/engine/decide.js";
import type { PastScaling } from "../../src/engine/memory.js";
import { rateLimit } from "../../src/engine/rate-limit.js";
import { propose } from "../../src/engine/propose.js";
import { parsePolicy } from "../../src/policy/schema.js";

const HPA_DOCS = "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/";
const CASES = 100_000;

/** A small, seeded generator (xorshift32): the same cases on every run, and fast. */
function generator(seed: number): (below: number) => number {
  let state = seed >>> 0 || 1;
  return (below) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % below;
  };
}

/**
 * HPA's algorithm, written from its documentation with exact rationals: the metric and the
 * target are integers scaled by the same power of ten, so their ratio is `value / target`
 * exactly. "desiredReplicas = ceil[currentReplicas * ( currentMetricValue / desiredMetricValue )]",
 * skipped when the ratio is within the tolerance of 1.0.
 */
function hpaDesired(current: bigint, value: bigint, target: bigint, tolerancePercent: bigint): bigint {
  // |value / target − 1| ≤ tolerance / 100  ⇔  100 · |value − target| ≤ tolerance · target
  const difference = value > target ? value - target : target - value;
  if (100n * difference <= tolerancePercent * target) return current;
  const numerator = current * value;
  return (numerator + target - 1n) / target; // ceil for non-negative integers
}

describe("target tracking against an exact integer form of HPA's formula", () => {
  it(`agrees in ${CASES.toLocaleString("en-US")} generated cases`, () => {
    const next = generator(0x5eed);
    const disagreements: string[] = [];
    let scaled = 0;
    for (let i = 0; i < CASES; i++) {
      const current = 1 + next(2000);
      const scale = [1, 10, 100, 1000][next(4)]!;
      const target = 1 + next(100_000);
      // Values near the target (to reach the tolerance band's edges) as well as far from it.
      const value = next(3) === 0 ? Math.max(0, target + next(2 * Math.ceil(target / 5) + 1) - Math.ceil(target / 5)) : next(400_000);
      const tolerance = next(4) === 0 ? 0 : next(51);
      const adjustment: Adjustment = { type: "track", targetValue: target / scale, tolerancePercent: tolerance };
      const got = propose(current, adjustment, { value: value / scale }).count;
      const expected = Number(hpaDesired(BigInt(current), BigInt(value), BigInt(target), BigInt(tolerance)));
      if (got !== expected) disagreements.push(`current ${current}, value ${value / scale}, target ${target / scale}, tolerance ${tolerance}%: got ${got}, HPA ${expected}`);
      if (expected !== current) scaled++;
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    // The cases reach both sides of the band, not only the easy middle.
    expect(scaled).toBeGreaterThan(CASES / 4);
    expect(CASES - scaled).toBeGreaterThan(CASES / 20);
  });
});

interface HpaPolicy {
  type: "Pods" | "Percent";
  value: number;
  periodSeconds: number;
}

/**
 * HPA's scaling rules, written from the HPA documentation and its algorithm (the count at a
 * period's start is the current count less what was added within the period, plus what was
 * removed; Pods allows `value` more or fewer, Percent `value` percent, the proposal "rounded up"
 * for scale-up and the removal rounded so the count is rounded down for scale-down; selectPolicy
 * Max takes the largest change, Min the smallest, Disabled none), in integers.
 */
function hpaLimited(current: bigint, desired: bigint, policies: HpaPolicy[], select: "Max" | "Min" | "Disabled", events: { at: number; change: bigint }[], now: number): bigint {
  if (desired === current) return current;
  const up = desired > current;
  if (select === "Disabled") return current;
  const limits = policies.map((policy) => {
    const cutoff = now - policy.periodSeconds * 1000;
    const changed = events.filter((event) => event.at > cutoff).reduce((sum, event) => sum + event.change, 0n);
    const start = current - changed;
    const value = BigInt(policy.value);
    if (policy.type === "Pods") return up ? start + value : start - value;
    return up ? (start * (100n + value) + 99n) / 100n : (start * (100n - value)) / 100n;
  });
  const pick = (a: bigint, b: bigint) => ((select === "Max") === up ? (a > b ? a : b) : a < b ? a : b);
  let limit = limits.reduce(pick);
  if (up && limit < current) limit = current;
  if (!up && limit > current) limit = current;
  if (!up && limit < 0n) limit = 0n;
  return up ? (desired < limit ? desired : limit) : desired > limit ? desired : limit;
}

describe("rate limits against HPA's scaling rules", () => {
  const RATE_CASES = 20_000;
  it(`agree in ${RATE_CASES.toLocaleString("en-US")} generated cases`, () => {
    const next = generator(0xbe4a);
    const now = 10_000_000;
    const disagreements: string[] = [];
    let limited = 0;
    for (let i = 0; i < RATE_CASES; i++) {
      // A history of counts, never below 1 (HPA never runs at 0), ending at the deployed count.
      let count = 1 + next(200);
      const scalings: PastScaling[] = [];
      const events: { at: number; change: bigint }[] = [];
      const steps = next(5);
      let at = now - 1_000_000;
      for (let j = 0; j < steps; j++) {
        const to = Math.max(1, count + next(41) - 20);
        at += 1 + next(400_000);
        if (to !== count) {
          scalings.unshift({ target: "workers", from: count, to, at });
          events.push({ at, change: BigInt(to - count) });
        }
        count = to;
      }
      const current = count;
      const desired = next(3 * current + 10);
      const policies: HpaPolicy[] = Array.from({ length: 1 + next(3) }, () => {
        const type = next(2) === 0 ? "Pods" : "Percent";
        return { type, value: 1 + next(type === "Percent" && desired < current ? 100 : 300), periodSeconds: 1 + next(1_200) * 1000 };
      });
      const select = (["Max", "Min", "Disabled"] as const)[next(10) === 0 ? 2 : next(2)]!;
      const direction = desired > current ? "scaleUp" : "scaleDown";
      const target = { urn: "u", config: "c", current, min: 0, max: 1_000_000, behavior: { [direction]: { selectPolicy: select, policies } } };
      const got = rateLimit(current, desired, rulesFor(target, desired > current ? "up" : "down"), scalings, now).to;
      const expected = Number(hpaLimited(BigInt(current), BigInt(desired), policies, select, events, now));
      if (expected !== desired) limited++;
      if (got !== expected) disagreements.push(`${current} → ${desired}, ${select} ${JSON.stringify(policies)}, events ${JSON.stringify(scalings)}: got ${got}, HPA ${expected}`);
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // Both limited and free moves are reached.
    expect(limited).toBeGreaterThan(RATE_CASES / 5);
    expect(RATE_CASES - limited).toBeGreaterThan(RATE_CASES / 5);
  });
});

const urn = "urn:pulumi:dev::fleet::pool::workers";
const track = (targetValue: number): Adjustment => ({ type: "track", targetValue, tolerancePercent: 10 });
const alert = (adjustment: Adjustment, value?: number): ResolvedSignal => ({
  target: "workers",
  adjustment,
  source: "alertmanager",
  reason: "metric",
  alert: { name: "Metric", status: "firing", labels: {}, annotations: {}, ...(value === undefined ? {} : { value }) },
});

describe(`the examples of the HPA documentation (${HPA_DOCS})`, () => {
  // "if the current metric value is 200m, and the desired value is 100m, the number of replicas
  // will be doubled, since 200.0 / 100.0 == 2.0 If the current value is instead 50m, you'll halve
  // the number of replicas, since 50.0 / 100.0 == 0.5. The control plane skips any scaling action
  // if the ratio is sufficiently close to 1.0 (within a configurable tolerance, 0.1 by default)."
  it.each([
    ["200m against 100m doubles", 4, 0.2, 8],
    ["50m against 100m halves", 4, 0.05, 2],
    ["a ratio of 1.05 is within the default tolerance of 0.1", 4, 0.105, 4],
    ["a ratio of 1.1 is still within it", 4, 0.11, 4],
  ])("%s", (_name, current, value, expected) => {
    expect(propose(current, track(0.1), { value }).count).toBe(expected);
  });

  // "behavior: scaleDown: policies: - type: Pods value: 4 periodSeconds: 60 - type: Percent
  // value: 10 periodSeconds: 60 […] When the number of pods is more than 40, the second policy
  // will be used for scaling down. For instance if there are 80 replicas and the target has to be
  // scaled down to 10 replicas then during the first step 8 replicas will be reduced. In the next
  // iteration when the number of replicas is 72, 10% of the pods is 7.2 but the number is rounded
  // up to 8. […] When the number of replicas falls below 40 the first policy (Pods) is applied and
  // 4 replicas will be reduced at a time."
  const scaleDown = { policies: [{ type: "Pods", value: 4, periodSeconds: 60 }, { type: "Percent", value: 10, periodSeconds: 60 }] };
  const down = (current: number) =>
    decide(parsePolicy({ version: 1, targets: { workers: { urn, config: "c", current, min: 1, max: 100, behavior: { scaleDown } } } }, "pulumiscale"), [alert({ type: "exact", count: 10 })], {
      now: new Date(0),
    })[0]!.to;
  it.each([
    [80, 72],
    [72, 64],
    [40, 36],
    [30, 26],
  ])("scaling 80 down to 10 with Pods 4 and Percent 10 per 60 s: from %d the next step is %d", (current, expected) => {
    expect(down(current)).toBe(expected);
  });

  // "To ensure that no more than 4 Pods are added within 1 minute […] scaleUp: policies: - type:
  // Pods value: 4 periodSeconds: 60" and "selectPolicy: Disabled" "to disable scale down".
  it("selectPolicy Disabled prevents scaling in that direction", () => {
    const policy = parsePolicy(
      { version: 1, targets: { workers: { urn, config: "c", current: 10, min: 1, max: 100, behavior: { scaleDown: { selectPolicy: "Disabled" } } } } },
      "pulumiscale",
    );
    expect(decide(policy, [alert({ type: "exact", count: 2 })], { now: new Date(0) })[0]!.to).toBe(10);
  });

  // "stabilizationWindowSeconds: 300 […] all desired states from the past 5 minutes will be
  // considered": a scale-in goes only to the highest of them.
  it("the scale-down stabilization window takes the highest recommendation of the last 300 s", () => {
    const policy = parsePolicy(
      { version: 1, targets: { workers: { urn, config: "c", current: 10, min: 1, max: 100, behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } } } },
      "pulumiscale",
    );
    const memory = {
      scalings: [],
      applied: new Map(),
      recommendations: [
        { target: "workers", at: -299_000, count: 8 },
        { target: "workers", at: -400_000, count: 10 },
        { target: "workers", at: -100_000, count: 6 },
      ],
    };
    expect(decide(policy, [alert(track(50), 25)], { now: new Date(0), memory })[0]!.to).toBe(8);
  });
});
