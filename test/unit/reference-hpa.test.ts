// Target tracking and rate limits against Kubernetes' HorizontalPodAutoscaler: an exact integer
// form of HPA's formula (BigInt, no floating point) over 100,000 generated cases, and the
// examples of the HPA documentation as table tests, quoted with their source.
import type { Adjustment, ResolvedSignal } from "../../src/adapters/signal.js";
import { decide } from "../../src/engine/decide.js";
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
