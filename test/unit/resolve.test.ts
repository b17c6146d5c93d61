// Alerts meet the policy: rules and the alerts' own labels give them a target and an adjustment,
// and whatever asks for nothing is skipped with a reason.
import { parsePayload } from "../../src/adapters/registry.js";
import type { ScalingSignal } from "../../src/adapters/signal.js";
import { decide } from "../../src/engine/decide.js";
import { resolveSignals } from "../../src/engine/resolve.js";
import { InputError } from "../../src/errors.js";
import { parsePolicy, type Policy } from "../../src/policy/schema.js";
import { alertmanagerFiring, alertmanagerResolved, eventBridgeAlarm } from "./payloads.js";

const target = (name: string, current = 3) => ({ urn: `urn:pulumi:prod::web::pool::${name}`, config: `${name}Count`, current, min: 1, max: 10 });
const policyWith = (rules?: unknown[]): Policy =>
  parsePolicy({ version: 1, targets: { workers: target("workers"), api: target("api", 2) }, ...(rules ? { rules } : {}) }, "pulumiscale");

const firing = () => parsePayload({ source: "alertmanager", alertmanager: alertmanagerFiring() }, "client_payload");
const resolvedGroup = () => parsePayload({ source: "alertmanager", alertmanager: alertmanagerResolved() }, "client_payload");
const alarm = (state = "ALARM") => {
  const event = eventBridgeAlarm() as { detail: { state: Record<string, unknown> } };
  event.detail.state["value"] = state;
  return parsePayload({ source: "cloudwatch", eventbridge: event }, "client_payload");
};
const withLabels = (labels: Record<string, string>, body = alertmanagerFiring()) => {
  const alerts = (body as { alerts: { labels: Record<string, string> }[] }).alerts;
  for (const alert of alerts) Object.assign(alert.labels, labels);
  return parsePayload({ source: "alertmanager", alertmanager: body }, "client_payload");
};

const workerRule = { match: { name: "HighCPU", labels: { service: "worker" } }, target: "workers", firing: "+2" };

describe("resolveSignals with rules", () => {
  it("maps the matching alert of a group and skips the other, saying why", () => {
    const { resolved, skipped } = resolveSignals(policyWith([workerRule]), firing());
    expect(resolved).toEqual([
      expect.objectContaining({
        source: "alertmanager",
        target: "workers",
        adjustment: { type: "change", by: 2 },
        rule: 0,
        reason: 'HighCPU{service="worker"} firing: CPU above 85% for 5m → +2 (rules[0])',
        deliveryId: '{}:{alertname="HighCPU", stack="prod"}|f00e6d99540eeb30|2026-11-26T10:23:46Z|firing',
      }),
    ]);
    expect(skipped.map(({ signal, why }) => [signal.alert!.labels["service"], why])).toEqual([
      ["api", 'no rule matches alertmanager alert "HighCPU" and it names no target (label pulumiscale_target)'],
    ]);
  });

  it("scales from the fixture end to end: +2 on workers, api untouched", () => {
    const policy = policyWith([workerRule]);
    const [decision, ...others] = decide(policy, resolveSignals(policy, firing()).resolved, { now: new Date("2026-11-26T12:00:00Z") });
    expect(others).toEqual([]);
    expect(decision).toMatchObject({ target: "workers", from: 3, to: 5, changed: true });
  });

  it("does nothing on resolution unless a rule gives resolved an adjustment", () => {
    const { resolved, skipped } = resolveSignals(policyWith([workerRule]), resolvedGroup());
    expect(resolved).toEqual([]);
    expect(skipped.map(({ why }) => why)).toEqual([
      "resolved alerts change nothing unless a rule gives them a resolved adjustment",
      "resolved alerts change nothing unless a rule says so: rules[0] match but give no resolved adjustment",
    ]);
  });

  it("scales in on resolution when a rule says so", () => {
    const { resolved } = resolveSignals(policyWith([{ ...workerRule, resolved: "-1" }]), resolvedGroup());
    expect(resolved.map(({ target, adjustment, reason }) => ({ target, adjustment, reason }))).toEqual([
      { target: "workers", adjustment: { type: "change", by: -1 }, reason: 'HighCPU{service="worker"} resolved: CPU above 85% for 5m → -1 (rules[0])' },
    ]);
  });

  it("lets one alert scale several targets, the first matching rule per target winning", () => {
    const rules = [
      { match: { name: "HighCPU" }, target: "api", firing: "+1" },
      { match: { labels: { service: "worker" } }, target: "workers", firing: "=6" },
      { match: { source: "alertmanager" }, target: "workers", firing: "+9" },
    ];
    const { resolved, skipped } = resolveSignals(policyWith(rules), firing());
    expect(resolved.map(({ alert, target, adjustment, rule }) => [alert!.labels["service"], target, adjustment, rule])).toEqual([
      ["api", "api", { type: "change", by: 1 }, 0],
      ["api", "workers", { type: "change", by: 9 }, 2],
      ["worker", "api", { type: "change", by: 1 }, 0],
      ["worker", "workers", { type: "exact", count: 6 }, 1],
    ]);
    expect(skipped).toEqual([]);
  });

  it("skips a rule that says nothing for the status and uses a later one that does", () => {
    const rules = [workerRule, { match: { name: "HighCPU" }, target: "workers", resolved: "-1" }];
    const { resolved } = resolveSignals(policyWith(rules), resolvedGroup());
    expect(resolved.map(({ rule }) => rule)).toEqual([1, 1]);
  });

  it.each<[string, Record<string, string>, boolean]>([
    ["every label equal", { service: "worker", stack: "prod" }, true],
    ["one label different", { service: "worker", stack: "staging" }, false],
    ["a label the alert lacks", { service: "worker", zone: "a" }, false],
    ["a label compared exactly, not as a pattern", { service: "work.*" }, false],
  ])("matches labels only with %s", (_name, labels, matches) => {
    const { resolved } = resolveSignals(policyWith([{ match: { labels }, target: "workers", firing: "+1" }]), firing());
    expect(resolved.length).toBe(matches ? 1 : 0);
  });

  it("matches a CloudWatch alarm by name and dimensions and keeps its value", () => {
    const rule = { match: { source: "cloudwatch", name: "ServerCpuTooHigh", labels: { InstanceId: "i-12345678901234567" } }, target: "workers", firing: "+1" };
    const { resolved } = resolveSignals(policyWith([rule]), alarm());
    expect(resolved).toEqual([
      expect.objectContaining({
        target: "workers",
        adjustment: { type: "change", by: 1 },
        deliveryId: "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
        reason: "alarm ServerCpuTooHigh OK → ALARM (CPUUtilization 99.50160229693434, threshold 50) → +1 (rules[0])",
        alert: expect.objectContaining({ value: 99.50160229693434, threshold: 50 }),
      }),
    ]);
  });

  it("does not match a rule for another source", () => {
    const { resolved, skipped } = resolveSignals(policyWith([{ match: { source: "alertmanager", name: "ServerCpuTooHigh" }, target: "workers", firing: "+1" }]), alarm());
    expect(resolved).toEqual([]);
    expect(skipped).toHaveLength(1);
  });

  it.each([
    ["OK", "resolved alerts change nothing unless a rule says so: rules[0] match but give no resolved adjustment"],
    ["INSUFFICIENT_DATA", "no-data alerts change nothing unless a rule says so: rules[0] match but give no noData adjustment"],
  ])("skips CloudWatch %s when the rule gives only firing", (state, why) => {
    const { resolved, skipped } = resolveSignals(policyWith([{ match: { name: "ServerCpuTooHigh" }, target: "workers", firing: "+1" }]), alarm(state));
    expect(resolved).toEqual([]);
    expect(skipped.map((skip) => skip.why)).toEqual([why]);
  });

  it("scales on INSUFFICIENT_DATA only when a rule gives noData", () => {
    const rule = { match: { name: "ServerCpuTooHigh" }, target: "workers", firing: "+1", noData: "=2" };
    expect(resolveSignals(policyWith([rule]), alarm("INSUFFICIENT_DATA")).resolved.map((signal) => signal.adjustment)).toEqual([{ type: "exact", count: 2 }]);
  });

  it.each<[string, Record<string, string>, number | undefined, string]>([
    ["a number", { value: "0.93" }, 0.93, "(rules[0], value 0.93)"],
    ["a number in exponent form", { value: "1.5e+03" }, 1500, "(rules[0], value 1500)"],
    ["text", { value: "high" }, undefined, '(rules[0], annotation "value" holds no number: "high")'],
    ["nothing", {}, undefined, '(rules[0], annotation "value" holds no number: missing)'],
  ])("reads the value from the annotation valueFrom names when it holds %s", (_name, annotations, value, note) => {
    const body = alertmanagerFiring() as { alerts: { annotations: Record<string, string> }[] };
    for (const alert of body.alerts) Object.assign(alert.annotations, annotations);
    const signals = parsePayload({ source: "alertmanager", alertmanager: body }, "client_payload");
    const { resolved } = resolveSignals(policyWith([{ ...workerRule, valueFrom: "value" }]), signals);
    expect(resolved[0]!.alert!.value).toBe(value);
    expect(resolved[0]!.reason.endsWith(note)).toBe(true);
  });
});

describe("resolveSignals with the alert's own labels", () => {
  it("uses the alert's target and adjustment and marks where they came from", () => {
    const { resolved, skipped } = resolveSignals(policyWith(), withLabels({ pulumiscale_target: "api", pulumiscale_adjust: "+1" }));
    expect(skipped).toEqual([]);
    expect(resolved.map(({ target, adjustment, reason }) => ({ target, adjustment, reason }))).toEqual([
      { target: "api", adjustment: { type: "change", by: 1 }, reason: 'HighCPU{service="api"} firing: CPU above 85% for 5m → +1 (alert labels)' },
      { target: "api", adjustment: { type: "change", by: 1 }, reason: 'HighCPU{service="worker"} firing: CPU above 85% for 5m → +1 (alert labels)' },
    ]);
  });

  it("prefers the alert's own labels over a matching rule", () => {
    const { resolved } = resolveSignals(policyWith([workerRule]), withLabels({ pulumiscale_target: "api", pulumiscale_adjust: "=4" }));
    expect(resolved.map(({ target, rule }) => [target, rule])).toEqual([
      ["api", undefined],
      ["api", undefined],
    ]);
  });

  it("skips an alert that names a target the policy does not have", () => {
    const { resolved, skipped } = resolveSignals(policyWith([workerRule]), withLabels({ pulumiscale_target: "db", pulumiscale_adjust: "+1" }));
    expect(resolved).toEqual([]);
    expect(skipped.map(({ why }) => why)).toEqual([
      'names target "db" (label pulumiscale_target), which this policy does not have ("workers", "api")',
      'names target "db" (label pulumiscale_target), which this policy does not have ("workers", "api")',
    ]);
  });

  it("falls back to the rules when the alert names a target but no adjustment", () => {
    const { resolved, skipped } = resolveSignals(policyWith([workerRule]), withLabels({ pulumiscale_target: "api" }));
    expect(resolved.map(({ target, rule }) => [target, rule])).toEqual([["workers", 0]]);
    expect(skipped.map(({ why }) => why)).toEqual(['names target "api" but no firing adjustment (label pulumiscale_adjust), and no rule matches']);
  });

  it("resolves with pulumiscale_adjust_resolved", () => {
    const signals = withLabels({ pulumiscale_target: "workers", pulumiscale_adjust: "+2", pulumiscale_adjust_resolved: "-1" }, alertmanagerResolved());
    expect(resolveSignals(policyWith(), signals).resolved.map(({ adjustment }) => adjustment)).toEqual([
      { type: "change", by: -1 },
      { type: "change", by: -1 },
    ]);
  });
});

describe("resolveSignals with requests", () => {
  const request = (target: string): ScalingSignal => ({ source: "delta", target, adjustment: { type: "change", by: 1 }, reason: "requested +1" });

  it("passes a request for a known target through unchanged", () => {
    expect(resolveSignals(policyWith(), [request("workers")])).toEqual({ resolved: [request("workers")], skipped: [] });
  });

  it("refuses a request for an unknown target: a person typed it", () => {
    expect(() => resolveSignals(policyWith(), [request("wrokers")])).toThrow(
      new InputError("target", "wrokers", 'a target of the stack\'s policy "pulumiscale" ("workers", "api")'),
    );
  });

  it("refuses a request without an adjustment", () => {
    expect(() => resolveSignals(policyWith(), [{ source: "delta", target: "workers", reason: "?" }])).toThrow(InputError);
  });
});

describe("policy rules", () => {
  it("reads adjustments once, into their parsed form", () => {
    expect(policyWith([{ ...workerRule, resolved: "-1", noData: "=0", valueFrom: "value" }]).rules).toEqual([
      {
        match: { name: "HighCPU", labels: { service: "worker" } },
        target: "workers",
        firing: { type: "change", by: 2 },
        resolved: { type: "change", by: -1 },
        noData: { type: "exact", count: 0 },
        valueFrom: "value",
      },
    ]);
  });

  it.each<[string, unknown, string]>([
    ["an adjustment without a sign", { ...workerRule, firing: "2" }, 'policy pulumiscale.rules.0.firing: expected "+N" (add N), "-N" (remove N), "+N%" or "-N%" (add or remove N percent) or "=N" (set to N), got "2"'],
    ["an exact percentage", { ...workerRule, resolved: "=10%" }, 'policy pulumiscale.rules.0.resolved: expected "+N" (add N), "-N" (remove N), "+N%" or "-N%" (add or remove N percent) or "=N" (set to N), got "=10%"'],
    ["a target the policy lacks", { ...workerRule, target: "db" }, 'policy pulumiscale.rules.0.target: expected a target of this policy ("workers", "api"), got "db"'],
    ["no adjustment at all", { match: { name: "HighCPU" }, target: "workers" }, "policy pulumiscale.rules.0.firing: expected at least one of firing, resolved or noData"],
    ["an empty match, which would match every alert", { match: {}, target: "workers", firing: "+1" }, "policy pulumiscale.rules.0.match: expected at least one of source, name or labels"],
    ["a misspelt match key", { match: { alertname: "HighCPU" }, target: "workers", firing: "+1" }, "policy pulumiscale.rules.0.match"],
    ["a misspelt rule key", { ...workerRule, fireing: "+1" }, "policy pulumiscale.rules.0"],
    ["a source that sends no alerts", { match: { source: "delta" }, target: "workers", firing: "+1" }, "policy pulumiscale.rules.0.match.source"],
    ["a label value that is not text", { match: { labels: { replicas: 3 } }, target: "workers", firing: "+1" }, "policy pulumiscale.rules.0.match.labels.replicas"],
  ])("refuses %s", (_name, rule, message) => {
    const read = () => policyWith([rule]);
    expect(read).toThrow(InputError);
    expect(read).toThrow(message);
  });
});
