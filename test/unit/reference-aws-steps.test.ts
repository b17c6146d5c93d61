// Step adjustments against AWS's own rules, written here from the AWS documentation rather than
// taken from the engine: which step a breach falls in (over 10,000 generated step lists), which
// step lists AWS accepts, and the documentation's worked example as a table test.
import type { Adjustment, StepInterval } from "../../src/adapters/signal.js";
import { propose } from "../../src/engine/propose.js";
import { parsePolicy, policySchema } from "../../src/policy/schema.js";

const STEP_ADJUSTMENT_DOCS = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepAdjustment.html";
const STEP_SCALING_DOCS = "https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html";
const LISTS = 10_000;
/** Reading a policy costs more than picking a step: fewer lists suffice to cover every rule. */
const VALIDATED_LISTS = 2_000;

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

interface Interval {
  lower?: number;
  upper?: number;
}

/**
 * "To initiate the adjustment when the metric is greater than or equal to 50 and less than 60,
 * specify a lower bound of 0 and an upper bound of 10. To initiate the adjustment when the metric
 * is greater than 40 and less than or equal to 50, specify a lower bound of -10 and an upper bound
 * of 0." (StepAdjustment): above the threshold [lower, upper), below it (lower, upper]. So at the
 * threshold itself, a step [0, u) holds it and so does a step (l, 0]; AWS lists never hold both
 * for one alarm, and where both are present the step above the threshold is taken.
 */
function awsHolds(interval: Interval, breach: number): boolean {
  const aboveLower = interval.lower === undefined || breach >= interval.lower;
  const belowUpper = interval.upper === undefined || breach < interval.upper;
  const aboveLowerStrict = interval.lower === undefined || breach > interval.lower;
  const belowUpperInclusive = interval.upper === undefined || breach <= interval.upper;
  if (breach > 0) return aboveLower && belowUpper;
  if (breach < 0) return aboveLowerStrict && belowUpperInclusive;
  return (interval.lower === 0 && belowUpper) || (aboveLowerStrict && interval.upper === 0) || (aboveLowerStrict && belowUpper);
}

function awsStep(intervals: readonly Interval[], breach: number): number | undefined {
  const holding = intervals.map((interval, index) => ({ interval, index })).filter(({ interval }) => awsHolds(interval, breach));
  if (holding.length === 0) return undefined;
  // At the threshold, a step starting there comes first (the breach is "above" an alarm at >=).
  return (holding.find(({ interval }) => interval.lower === 0) ?? holding[0]!).index;
}

/**
 * "The ranges of your step adjustments can't overlap or have a gap. At most one step adjustment
 * can have a null lower bound. If one step adjustment has a negative lower bound, then there must
 * be a step adjustment with a null lower bound. At most one step adjustment can have a null upper
 * bound. If one step adjustment has a positive upper bound, then there must be a step adjustment
 * with a null upper bound. The upper and lower bound can't be null in the same step adjustment."
 */
function awsAccepts(intervals: readonly Interval[]): boolean {
  if (intervals.length === 0) return false;
  if (intervals.some((i) => i.lower === undefined && i.upper === undefined)) return false;
  if (intervals.filter((i) => i.lower === undefined).length > 1 || intervals.filter((i) => i.upper === undefined).length > 1) return false;
  if (intervals.some((i) => i.lower !== undefined && i.lower < 0) && !intervals.some((i) => i.lower === undefined)) return false;
  if (intervals.some((i) => i.upper !== undefined && i.upper > 0) && !intervals.some((i) => i.upper === undefined)) return false;
  if (intervals.some((i) => i.lower !== undefined && i.upper !== undefined && i.lower >= i.upper)) return false;
  // No gap and no overlap: sorted by lower bound, each starts where the one before ends.
  const sorted = [...intervals].sort((a, b) => (a.lower ?? -Infinity) - (b.lower ?? -Infinity));
  return sorted.every((interval, index) => index === 0 || (sorted[index - 1]!.upper !== undefined && interval.lower === sorted[index - 1]!.upper));
}

/** A valid list: scale-out only (bounds ≥ 0), scale-in only (≤ 0), or both sides. */
function validList(next: (below: number) => number): Interval[] {
  const kind = next(3);
  const count = 1 + next(5);
  const cuts = new Set<number>();
  while (cuts.size < count - 1 + (kind === 2 ? 0 : 1)) cuts.add((next(200) + 1) * (kind === 1 ? -1 : 1) * (next(4) === 0 ? 0.5 : 1));
  let bounds = [...cuts].sort((a, b) => a - b);
  if (kind === 0) bounds = [0, ...bounds.slice(1)]; // starts at the threshold
  if (kind === 1) bounds = [...bounds.slice(0, -1), 0]; // ends at the threshold
  if (kind === 2 && bounds.length > 0) bounds[next(bounds.length)] = 0; // spans it
  const sortedBounds = [...new Set(bounds)].sort((a, b) => a - b);
  const edges: (number | undefined)[] =
    kind === 0 ? [...sortedBounds, undefined] : kind === 1 ? [undefined, ...sortedBounds] : [undefined, ...sortedBounds, undefined];
  const list: Interval[] = [];
  for (let i = 0; i + 1 < edges.length; i++) list.push({ ...(edges[i] === undefined ? {} : { lower: edges[i] }), ...(edges[i + 1] === undefined ? {} : { upper: edges[i + 1] }) });
  return list;
}

/** A list changed in one way AWS may or may not accept: a bound moved, a step dropped, a bound removed. */
function mutated(list: Interval[], next: (below: number) => number): Interval[] {
  const copy = list.map((i) => ({ ...i }));
  const index = next(copy.length);
  switch (next(3)) {
    case 0:
      if (copy[index]!.lower !== undefined) copy[index]!.lower! += next(2) === 0 ? 1 : -1;
      break;
    case 1:
      copy.splice(index, 1);
      break;
    default:
      if (next(2) === 0) delete copy[index]!.lower;
      else delete copy[index]!.upper;
  }
  return copy;
}

const asPolicy = (intervals: readonly Interval[]) => ({
  version: 1,
  targets: { workers: { urn: "urn:pulumi:dev::fleet::pool::workers", config: "c", current: 50, min: 0, max: 1000 } },
  rules: [{ match: { name: "A" }, target: "workers", firing: { steps: intervals.map((i, index) => ({ ...i, adjustment: `+${index + 1}` })) } }],
});

describe(`step adjustments against AWS's bound rules (${STEP_ADJUSTMENT_DOCS})`, () => {
  it(`pick the step AWS picks, for breaches at, near and between the bounds of ${LISTS.toLocaleString("en-US")} step lists`, () => {
    const next = generator(0xa5);
    const disagreements: string[] = [];
    for (let n = 0; n < LISTS; n++) {
      const list = validList(next);
      const steps: StepInterval[] = list.map((i, index) => ({ ...i, adjustment: { type: "change", by: index + 1 } }));
      const adjustment: Adjustment = { type: "steps", steps };
      const bounds = list.flatMap((i) => [i.lower, i.upper]).filter((b) => b !== undefined);
      const breaches = [0, ...bounds, ...bounds.map((b) => b + 0.25), ...bounds.map((b) => b - 0.25), next(600) - 300];
      for (const breach of breaches) {
        const threshold = 100;
        const got = propose(50, adjustment, { value: threshold + breach, threshold }).count - 50;
        const index = awsStep(list, breach);
        const expected = index === undefined ? 0 : index + 1;
        if (got !== expected) disagreements.push(`${JSON.stringify(list)} breach ${breach}: step ${got}, AWS ${expected}`);
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
  });

  it(`accept exactly the step lists AWS accepts, over ${VALIDATED_LISTS.toLocaleString("en-US")} valid lists and as many changed ones`, () => {
    const next = generator(0x5a);
    const disagreements: string[] = [];
    let refused = 0;
    for (let n = 0; n < VALIDATED_LISTS; n++) {
      const valid = validList(next);
      // Steps are written in ascending order; the policy requires that order, as AWS's do not overlap.
      for (const list of [valid, mutated(valid, next)]) {
        const expected = awsAccepts(list);
        const accepted = policySchema.safeParse(asPolicy(list)).success;
        if (!expected) refused++;
        if (accepted !== expected) disagreements.push(`${JSON.stringify(list)}: ${accepted ? "accepted" : "refused"}, AWS ${expected ? "accepts" : "refuses"}`);
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(refused).toBeGreaterThan(VALIDATED_LISTS / 4);
  });
});

describe(`the AWS documentation's step scaling example (${STEP_SCALING_DOCS})`, () => {
  // "suppose that you have an alarm with a breach threshold of 50 and a scaling adjustment type of
  // PercentChangeInCapacity. You also have scale-out and scale-in policies with the following step
  // adjustments": scale-out 0–10: 0, 10–20: 10, 20–null: 30; scale-in -10–0: 0, -20–-10: -10,
  // null–-20: -30. "If the metric value gets to 60, Amazon EC2 Auto Scaling increases the desired
  // capacity of the group by 1 instance, to 11 instances […] If the metric value rises to 70 […]
  // by another 3 instances, to 14 instances […] (add 30 percent of 11 instances, 3.3 instances,
  // rounded down to 3 instances). If the metric value gets to 40, […] decreases the desired
  // capacity of the group by 1 instance, to 13 instances […] (remove 10 percent of 14 instances,
  // 1.4 instances, rounded down to 1 instance). If the metric value falls to 30 […] by another 3
  // instances, to 10 instances […] (remove 30 percent of 13 instances, 3.9 instances, rounded
  // down to 3 instances)."
  const scaleOut = { steps: [{ lower: 0, upper: 10, adjustment: "+0%" }, { lower: 10, upper: 20, adjustment: "+10%" }, { lower: 20, adjustment: "+30%" }] };
  const scaleIn = { steps: [{ upper: -20, adjustment: "-30%" }, { lower: -20, upper: -10, adjustment: "-10%" }, { lower: -10, upper: 0, adjustment: "-0%" }] };
  const read = (firing: unknown): Adjustment => {
    const policy = parsePolicy({ ...asPolicy([]), rules: [{ match: { name: "A" }, target: "workers", firing }] }, "pulumiscale");
    return policy.rules![0]!.firing!;
  };
  it.each([
    ["60 from 10", scaleOut, 10, 60, 11],
    ["70 from 11", scaleOut, 11, 70, 14],
    ["40 from 14", scaleIn, 14, 40, 13],
    ["30 from 13", scaleIn, 13, 30, 10],
    ["55 from 10: held between 40 and 60", scaleOut, 10, 55, 10],
    ["45 from 10: held between 40 and 60", scaleIn, 10, 45, 10],
  ])("%s", (_name, firing, current, value, expected) => {
    expect(propose(current, read(firing), { value, threshold: 50 }).count).toBe(expected);
  });
});
