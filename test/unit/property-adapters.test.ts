// Properties over generated payloads: adapters throw PayloadError and nothing else, and the
// signals they produce never reach a target that is not in the policy.
import fc from "fast-check";
import { adapters, parsePayload } from "../../src/adapters/registry.js";
import { PayloadError, type ScalingSignal } from "../../src/adapters/signal.js";
import { resolveSignals } from "../../src/engine/resolve.js";
import { parsePolicy } from "../../src/policy/schema.js";
import { alertmanagerFiring, eventBridgeAlarm, fixture, snsMetricMath, snsNotification, snsSingleMetric } from "./payloads.js";

const runs = { numRuns: 300 };

/** Reads the payload; true when it gave signals, false when it gave a PayloadError. Anything else fails. */
function readsOrRefuses(payload: unknown): ScalingSignal[] | PayloadError {
  try {
    return parsePayload(payload, "client_payload");
  } catch (error) {
    if (error instanceof PayloadError) return error;
    throw error;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Every path inside a JSON value, the root included. */
function paths(value: Json, prefix: Path = []): Path[] {
  const below =
    Array.isArray(value)
      ? value.flatMap((item, index) => paths(item, [...prefix, index]))
      : value !== null && typeof value === "object"
        ? Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))
        : [];
  return [prefix, ...below];
}

type Mutation = { kind: "replace"; with: Json } | { kind: "remove" } | { kind: "stringify" };

/** `value` with the node at `path` replaced, removed, or turned into its JSON text. */
function mutate(value: Json, path: Path, mutation: Mutation): Json {
  if (path.length === 0) {
    return mutation.kind === "replace" ? mutation.with : mutation.kind === "stringify" ? JSON.stringify(value) : null;
  }
  const [key, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && mutation.kind === "remove") copy.splice(key as number, 1);
    else copy[key as number] = mutate(copy[key as number]!, rest, mutation);
    return copy;
  }
  const copy = { ...(value as Record<string, Json>) };
  if (rest.length === 0 && mutation.kind === "remove") delete copy[key as string];
  else copy[key as string] = mutate(copy[key as string]!, rest, mutation);
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("replace" as const), with: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> }),
  fc.record({ kind: fc.constant("remove" as const) }),
  fc.record({ kind: fc.constant("stringify" as const) }),
);

/** A valid payload of each shape, as the relay or EventBridge would send it. */
const validPayloads: (() => Json)[] = [
  () => ({ source: "alertmanager", alertmanager: alertmanagerFiring() }) as Json,
  () => ({ source: "cloudwatch", sns: snsSingleMetric() }) as Json,
  () => ({ source: "cloudwatch", sns: snsMetricMath() }) as Json,
  () => ({ source: "cloudwatch", sns: snsNotification(fixture("cloudwatch/cloudwatch-alarm-message-single-metric.aws-lambda-go.json")) }) as Json,
  () => ({ source: "cloudwatch", eventbridge: eventBridgeAlarm() }) as Json,
  () => ({ source: "delta", target: "workers", delta: 2 }),
  () => ({ source: "count", target: "workers", count: 4, reason: "launch" }),
];

/** A valid payload with up to three fields replaced, removed or turned into text. */
const mutatedPayload = fc
  .tuple(fc.constantFrom(...validPayloads), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }))
  .map(([build, changes]) =>
    changes.reduce((payload, [at, change]) => {
      const all = paths(payload);
      return mutate(payload, all[at % all.length]!, change);
    }, build()),
  );

/** The alarm inside an SNS message, broken the same ways: the JSON string is its own layer. */
const mutatedSnsMessage = fc.tuple(fc.nat(), mutation).map(([at, change]) => {
  const alarm = fixture("cloudwatch/cloudwatch-alarm-message-single-metric.aws-lambda-go.json") as Json;
  const all = paths(alarm);
  return { source: "cloudwatch", sns: snsNotification(mutate(alarm, all[at % all.length]!, change)) };
});

describe("adapters throw PayloadError and nothing else", () => {
  it("on arbitrary JSON under every source", () => {
    const sources = fc.constantFrom(...adapters.map((adapter) => adapter.source), "unknown", "__proto__", "constructor");
    fc.assert(
      fc.property(sources, fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), (source, rest) => {
        readsOrRefuses({ ...rest, source });
      }),
      runs,
    );
  });

  it("on arbitrary JSON under each adapter's own key", () => {
    const keyed = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((body) => ({ source: "alertmanager", alertmanager: body })),
      fc.jsonValue({ maxDepth: 4 }).map((body) => ({ source: "cloudwatch", sns: body })),
      fc.jsonValue({ maxDepth: 4 }).map((body) => ({ source: "cloudwatch", eventbridge: body })),
      fc.string().map((message) => ({ source: "cloudwatch", sns: snsNotification(message) })),
    );
    fc.assert(fc.property(keyed, (payload) => void readsOrRefuses(payload)), runs);
  });

  it("on real payloads with fields replaced, removed or turned into text", () => {
    const outcomes = { read: 0, refused: 0 };
    fc.assert(
      fc.property(mutatedPayload, (payload) => {
        outcomes[readsOrRefuses(payload) instanceof PayloadError ? "refused" : "read"] += 1;
      }),
      // A fixed seed: the coverage counts below must not depend on the draw.
      { numRuns: 1000, seed: 20261126 },
    );
    // Both kinds of outcome occur, so the mutations reach past the first check.
    expect(outcomes.read).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(50);
  });

  it("on the alarm inside an SNS message, broken the same ways", () => {
    fc.assert(fc.property(mutatedSnsMessage, (payload) => void readsOrRefuses(payload)), runs);
  });

  it("on anything at all, not just JSON", () => {
    fc.assert(fc.property(fc.anything(), (payload) => void readsOrRefuses(payload)), runs);
  });
});

// --- resolveSignals over adapter output ---------------------------------------------------------

const targetNames = ["workers", "api", "db", "web"] as const;
const name = fc.constantFrom("HighCPU", "QueueBacklog", "ServerCpuTooHigh");
const labelValue = fc.constantFrom("api", "worker", "prod", "i-1");
const adjustmentText = fc.oneof(
  fc.constantFrom("+1", "+2", "-1", "=5", "=0"),
  fc.string({ maxLength: 4 }),
);
const labels = fc.dictionary(fc.constantFrom("service", "stack", "InstanceId"), labelValue, { maxKeys: 3 });

/** A webhook body whose alerts may name targets (known or not) and adjustments (valid or not). */
const alertmanagerBody = fc.array(
  fc.record({
    status: fc.constantFrom("firing", "resolved"),
    name,
    labels,
    own: fc.dictionary(fc.constantFrom("pulumiscale_target", "pulumiscale_adjust", "pulumiscale_adjust_resolved"), fc.oneof(fc.constantFrom(...targetNames), adjustmentText), { maxKeys: 3 }),
    ownIn: fc.constantFrom("labels", "annotations"),
    value: fc.option(fc.oneof(fc.double().map(String), fc.string({ maxLength: 5 })), { nil: undefined }),
  }),
  { maxLength: 6 },
).map((alerts) => ({
  source: "alertmanager",
  alertmanager: {
    version: "4",
    groupKey: "{}:{}",
    alerts: alerts.map((alert, index) => ({
      status: alert.status,
      labels: { alertname: alert.name, ...alert.labels, ...(alert.ownIn === "labels" ? alert.own : {}) },
      annotations: { ...(alert.ownIn === "annotations" ? alert.own : {}), ...(alert.value === undefined ? {} : { value: alert.value }) },
      startsAt: "2026-11-26T10:23:46Z",
      fingerprint: `f${index}`,
    })),
  },
}));

const eventBridgeEvent = fc
  .record({ name, state: fc.constantFrom("ALARM", "OK", "INSUFFICIENT_DATA"), instance: labelValue })
  .map(({ name: alarmName, state, instance }) => {
    const event = eventBridgeAlarm() as { detail: Record<string, unknown> & { state: Record<string, unknown> } };
    event.detail["alarmName"] = alarmName;
    event.detail.state["value"] = state;
    (event.detail["configuration"] as { metrics: { metricStat: { metric: { dimensions: Record<string, string> } } }[] }).metrics[0]!.metricStat.metric.dimensions = {
      InstanceId: instance,
    };
    return { source: "cloudwatch", eventbridge: event };
  });

const request = fc.record({
  source: fc.constantFrom("delta", "count"),
  target: fc.constantFrom(...targetNames),
  delta: fc.integer({ min: -5, max: 5 }),
  count: fc.nat(10),
}).map(({ source, target, delta, count }) => (source === "delta" ? { source, target, delta } : { source, target, count }));

/** Rules over the targets this policy has; the policy has a random non-empty subset of the names. */
const policy = fc
  .subarray([...targetNames], { minLength: 1 })
  .chain((targets) =>
    fc.record({
      targets: fc.constant(targets),
      rules: fc.array(
        fc.record(
          {
            match: fc.record(
              { source: fc.constantFrom("alertmanager", "cloudwatch"), name, labels },
              { requiredKeys: ["name"] },
            ),
            target: fc.constantFrom(...targets),
            firing: fc.constantFrom("+1", "+3", "=4", "-1"),
            resolved: fc.constantFrom("-1", "=1"),
            noData: fc.constantFrom("-2", "+1"),
            valueFrom: fc.constant("value"),
          },
          { requiredKeys: ["match", "target", "firing"] },
        ),
        { maxLength: 5 },
      ),
    }),
  )
  .map(({ targets, rules }) =>
    parsePolicy(
      {
        version: 1,
        targets: Object.fromEntries(targets.map((target) => [target, { urn: `urn:pulumi:p::s::t::${target}`, config: target, current: 2, min: 0, max: 9 }])),
        rules,
      },
      "pulumiscale",
    ),
  );

describe("resolveSignals over adapter output", () => {
  it("never produces a signal for a target the policy lacks, and accounts for every alert", () => {
    const payload = fc.oneof(alertmanagerBody, eventBridgeEvent);
    const seen = { resolved: 0, skipped: 0 };
    fc.assert(
      fc.property(policy, fc.array(payload, { minLength: 1, maxLength: 3 }), (policy, payloads) => {
        const signals = payloads.flatMap((payload) => {
          const read = readsOrRefuses(payload);
          return read instanceof PayloadError ? [] : read;
        });
        const { resolved, skipped } = resolveSignals(policy, signals);
        for (const signal of resolved) expect(Object.keys(policy.targets)).toContain(signal.target);
        // Each alert is resolved (at most once per target) or skipped once: never both, never lost.
        const one = signals.map((signal) => resolveSignals(policy, [signal]));
        for (const { resolved: forOne, skipped: skippedOne } of one) {
          expect(forOne.length > 0 ? skippedOne.length : skippedOne.length - 1).toBe(0);
          expect(new Set(forOne.map((signal) => signal.target)).size).toBe(forOne.length);
        }
        expect(resolved).toEqual(one.flatMap((resolution) => resolution.resolved));
        expect(skipped).toEqual(one.flatMap((resolution) => resolution.skipped));
        seen.resolved += resolved.length;
        seen.skipped += skipped.length;
      }),
      // A fixed seed: the coverage counts below must not depend on the draw.
      { ...runs, seed: 20261126 },
    );
    expect(seen.resolved).toBeGreaterThan(50);
    expect(seen.skipped).toBeGreaterThan(50);
  });

  it("refuses a request for a target the policy lacks with an InputError, and resolves the rest", () => {
    fc.assert(
      fc.property(policy, request, (policy, payload) => {
        const signals = parsePayload(payload, "client_payload");
        const known = Object.hasOwn(policy.targets, payload.target);
        if (known) expect(resolveSignals(policy, signals).resolved.map((signal) => signal.target)).toEqual([payload.target]);
        else expect(() => resolveSignals(policy, signals)).toThrow(`target: expected a target of the stack's policy`);
      }),
      runs,
    );
  });
});
