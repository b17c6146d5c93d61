// Grafana Alerting's webhook contact point, read through the registry as the action reads it.
// Fields come from Grafana's docs, "Configure the webhook notifier for Alerting"
// (grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/):
// the fixture is its example body; the variants change only fields that page documents, and the
// missing-data ones follow "No Data and Error states" (…/alerting/fundamentals/alert-rule-evaluation/nodata-and-error-states/).
import { parsePayload } from "../../src/adapters/registry.js";
import { PayloadError, type ScalingSignal } from "../../src/adapters/signal.js";
import { resolveSignals } from "../../src/engine/resolve.js";
import { parsePolicy } from "../../src/policy/schema.js";
import { alertmanagerFiring, grafanaFiring } from "./payloads.js";

type Body = { alerts: Record<string, unknown>[] } & Record<string, unknown>;
const read = (body: unknown) => parsePayload({ source: "grafana", grafana: body }, "client_payload");

/** The docs' body with each alert changed by `change` (and the top-level fields by `top`). */
function variant(change: (alert: Record<string, unknown>, index: number) => Record<string, unknown>, top: Record<string, unknown> = {}): Body {
  const body = grafanaFiring() as Body;
  return { ...body, ...top, alerts: body.alerts.map((alert, index) => change({ ...alert }, index)) };
}

const docsAlert = (name: string, zone: string, fingerprint: string, startsAt: string, status: "firing" | "resolved"): ScalingSignal => ({
  source: "grafana",
  reason: `${name}{zone="${zone}"} ${status} [B=44.23943737541908, C=1]: This alert was triggered for zone ${zone}`,
  deliveryId: `1|{}:{}|${fingerprint}|${startsAt}|${status}`,
  deliveryIdKind: "occurrence",
  // startsAt in UTC, to the millisecond.
  began: new Date(startsAt.replace(/(\.\d{3})\d+/, "$1")).toISOString(),
  alert: {
    name,
    status,
    labels: { alertname: name, team: "blue", zone },
    annotations: {
      description: `The system has high ${name === "High memory usage" ? "memory" : "CPU"} usage`,
      runbook_url: "https://myrunbook.com/runbook/1234",
      summary: `This alert was triggered for zone ${zone}`,
    },
    values: { B: 44.23943737541908, C: 1 },
  },
});

describe("grafana adapter over the documented webhook body", () => {
  it.each<[string, () => unknown, ScalingSignal[]]>([
    [
      "the docs' example: two firing alerts, one signal each, values by refId",
      grafanaFiring,
      [
        docsAlert("High memory usage", "us-1", "c6eadffa33fcdf37", "2021-10-12T09:51:03.157076+02:00", "firing"),
        docsAlert("High CPU usage", "eu-1", "bc97ff14869b13e3", "2021-10-12T09:56:03.157076+02:00", "firing"),
      ],
    ],
    [
      "the same group resolved (status and endsAt as the page describes them)",
      () => variant((alert) => ({ ...alert, status: "resolved", endsAt: "2021-10-12T10:01:03.157076+02:00" }), { status: "resolved", state: "ok" }),
      [
        docsAlert("High memory usage", "us-1", "c6eadffa33fcdf37", "2021-10-12T09:51:03.157076+02:00", "resolved"),
        docsAlert("High CPU usage", "eu-1", "bc97ff14869b13e3", "2021-10-12T09:56:03.157076+02:00", "resolved"),
      ],
    ],
  ])("%s", (_name, body, expected) => {
    expect(read(body())).toEqual(expected);
  });

  it.each<[string, (alert: Record<string, unknown>) => Record<string, unknown>, Record<string, unknown>]>([
    ["values missing (null, as Grafana sends for an alert without any)", (alert) => ({ ...alert, values: null }), { values: undefined }],
    ["values absent", ({ values: _values, ...alert }) => alert, { values: undefined }],
    ["a value Grafana could not compute (null) is no value, not zero", (alert) => ({ ...alert, values: { B: null, C: 0 } }), { values: { C: 0 } }],
  ])("reads %s", (_name, change, expected) => {
    const [first] = read(variant(change));
    expect(first!.alert).toMatchObject({ status: "firing" });
    if (expected["values"] === undefined) expect(first!.alert!.values).toBeUndefined();
    else expect(first!.alert!.values).toEqual(expected["values"]);
  });

  // "No Data and Error states": DatasourceNoData/DatasourceError alerts carry the rule's name in
  // `rulename`; a rule whose No Data state is Alerting or Normal sets grafana_state_reason.
  it.each<[string, Record<string, string>, Record<string, string>, "firing" | "resolved", string]>([
    ["a firing DatasourceNoData alert (no-data)", { alertname: "DatasourceNoData", rulename: "High CPU usage" }, {}, "firing", "no-data"],
    ["a firing DatasourceError alert", { alertname: "DatasourceError", rulename: "High CPU usage" }, {}, "firing", "no-data"],
    ["an alert firing because its No Data state is Alerting", { alertname: "High CPU usage" }, { grafana_state_reason: "NoData" }, "firing", "no-data"],
    ["an alert firing because its query failed", { alertname: "High CPU usage" }, { grafana_state_reason: "Error" }, "firing", "no-data"],
    ["an alert resolved because its No Data state is Normal", { alertname: "High CPU usage" }, { grafana_state_reason: "NoData" }, "resolved", "no-data"],
    ["a resolved DatasourceNoData alert (the data is back) keeps its own name", { alertname: "DatasourceNoData", rulename: "High CPU usage" }, {}, "resolved", "resolved"],
  ])("reads %s as its documented status", (_name, labels, annotations, status, expected) => {
    const body = variant((alert) => ({ ...alert, status, labels, annotations }));
    const [first] = read(body);
    expect(first!.alert!.status).toBe(expected);
    expect(first!.alert!.name).toBe(labels["alertname"]);
  });

  it("never scales on missing data, even through a rule that scales the alert while it fires", () => {
    const policy = parsePolicy(
      {
        version: 1,
        targets: { workers: { urn: "urn:pulumi:prod::web::pool::workers", config: "workerCount", current: 3, min: 1, max: 10 } },
        rules: [{ match: { source: "grafana", name: "High CPU usage" }, target: "workers", firing: "+2" }],
      },
      "pulumiscale",
    );
    const body = variant((alert) => ({ ...alert, labels: { alertname: "High CPU usage" }, annotations: { grafana_state_reason: "NoData" } }));
    const { resolved, skipped } = resolveSignals(policy, read(body));
    expect(resolved).toEqual([]);
    expect(skipped.map((entry) => entry.why)).toEqual([
      "no-data alerts change nothing unless a rule says so: rules[0] match but give no noData adjustment",
      "no-data alerts change nothing unless a rule says so: rules[0] match but give no noData adjustment",
    ]);
  });

  it("reads Grafana's test notification (the contact point's Test button) as a firing TestAlert that no rule about real alerts matches", () => {
    // What "Test" sends: one alert named TestAlert, labels instance "Grafana", annotation summary "Notification test".
    const body = variant((alert, index) => (index === 0 ? { ...alert, labels: { alertname: "TestAlert", instance: "Grafana" }, annotations: { summary: "Notification test" }, values: null } : alert));
    body.alerts.splice(1);
    const [signal] = read(body);
    expect(signal).toMatchObject({ reason: 'TestAlert{instance="Grafana"} firing: Notification test', alert: { name: "TestAlert", status: "firing" } });
  });

  it("scopes the dedupe id by organization: the same fingerprint in two orgs is two alerts", () => {
    const [one] = read(grafanaFiring());
    const [other] = read({ ...grafanaFiring(), orgId: 2 });
    expect(one!.deliveryId).not.toBe(other!.deliveryId);
    expect(other!.deliveryId).toBe("2|{}:{}|c6eadffa33fcdf37|2021-10-12T09:51:03.157076+02:00|firing");
  });

  it("takes pulumiscale_target and pulumiscale_adjust from labels or annotations, as Alertmanager alerts do", () => {
    const body = variant((alert, index) =>
      index === 0
        ? { ...alert, labels: { ...(alert["labels"] as object), pulumiscale_target: "workers" }, annotations: { pulumiscale_adjust: "+2", pulumiscale_adjust_resolved: "-1" } }
        : alert,
    );
    const [first, second] = read(body);
    expect(first).toMatchObject({ target: "workers", adjustment: { type: "change", by: 2 } });
    expect(second!.target).toBeUndefined();
  });

  it("gives a rule's valueFrom the value of the refId it names", () => {
    const policy = parsePolicy(
      {
        version: 1,
        targets: { workers: { urn: "urn:pulumi:prod::web::pool::workers", config: "workerCount", current: 4, min: 1, max: 20 } },
        rules: [{ match: { source: "grafana", name: "High memory usage" }, target: "workers", firing: { targetValue: 22 }, valueFrom: "B" }],
      },
      "pulumiscale",
    );
    const { resolved } = resolveSignals(policy, read(grafanaFiring()));
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.alert!.value).toBe(44.23943737541908);
    expect(resolved[0]!.reason).toMatch(/\(rules\[0\], value 44\.23943737541908\)$/);
  });
});

describe("grafana adapter refuses what it cannot read, naming the path, the value and what to do", () => {
  it.each<[string, () => unknown, string]>([
    [
      "Alertmanager's own webhook (version 4)",
      alertmanagerFiring,
      'client_payload.grafana.version: expected "1" (the body of Grafana\'s webhook contact point; send Prometheus Alertmanager\'s own webhook with source "alertmanager"), got "4"',
    ],
    ["a body without orgId", () => ({ ...grafanaFiring(), orgId: undefined }), "client_payload.grafana.orgId: expected a number, got nothing"],
    ["an alert without alertname", () => variant((alert) => ({ ...alert, labels: { team: "blue" } })), 'client_payload.grafana.alerts[0].labels.alertname: expected an "alertname" label, got nothing'],
    ["a status Grafana does not send", () => variant((alert) => ({ ...alert, status: "pending" })), 'client_payload.grafana.alerts[0].status: expected "firing" or "resolved", got "pending"'],
    ["a value that is text", () => variant((alert) => ({ ...alert, values: { B: "44.2" } })), 'client_payload.grafana.alerts[0].values.B: expected a number, got "44.2"'],
    [
      "a bad adjustment label",
      () => variant((alert) => ({ ...alert, annotations: { pulumiscale_adjust: "double" } })),
      'client_payload.grafana.alerts[0].annotations.pulumiscale_adjust: expected "+N" (add N), "-N" (remove N), "+N%" or "-N%" (add or remove N percent) or "=N" (set to N), got "double"',
    ],
  ])("refuses %s", (_name, body, message) => {
    expect(() => read(body())).toThrow(PayloadError);
    expect(() => read(body())).toThrow(message);
  });
});
