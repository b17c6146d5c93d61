// Datadog monitor notifications sent with PulumiScale's payload template
// (examples/alerts/datadog/payload-template.json), filled in as Datadog fills it. Variables and
// their example values come from Datadog's "Webhooks" integration page
// (docs.datadoghq.com/integrations/webhooks/, "Variables"): $ALERT_TRANSITION (Recovered,
// Triggered/Re-Triggered, No Data/Re-No Data, Warn/Re-Warn, Renotify), $ALERT_ID ("1234"),
// $ALERT_METRIC ("system.load.1"), $ALERT_SCOPE ("availability-zone:us-east-1a, role:computing-node"),
// $ALERT_TITLE, $TAGS, $ALERT_CYCLE_KEY and $ID. The default body is that page's fixture.
import { parsePayload } from "../../src/adapters/registry.js";
import { PayloadError, type ScalingSignal } from "../../src/adapters/signal.js";
import { resolveSignals } from "../../src/engine/resolve.js";
import { parsePolicy } from "../../src/policy/schema.js";
import { datadogDefaultTemplate, datadogDelivery } from "./payloads.js";

const documented = {
  ALERT_ID: "1234",
  ALERT_CYCLE_KEY: "7051744127165707294",
  ALERT_METRIC: "system.load.1",
  ALERT_SCOPE: "availability-zone:us-east-1a, role:computing-node",
  TAGS: "env:prod,service:web,monitor",
  ID: "7051744127165707295",
};
const delivery = (transition: string, title: string, extra: Record<string, string> = {}) =>
  datadogDelivery({ ...documented, ALERT_TRANSITION: transition, ALERT_TITLE: title, ...extra });
/** What the action reads: the template's client_payload. */
const read = (body: Record<string, unknown>) => parsePayload(body["client_payload"], "client_payload");

const signal = (transition: string, status: string, label: string): ScalingSignal => ({
  source: "datadog",
  reason: `monitor Load is high ${transition} on availability-zone:us-east-1a, role:computing-node`,
  deliveryId: "1234|7051744127165707295",
  alert: {
    name: "Load is high",
    status: status as "firing",
    labels: {
      env: "prod",
      service: "web",
      monitor: "",
      "availability-zone": "us-east-1a",
      role: "computing-node",
      metric: "system.load.1",
      monitor_id: "1234",
      transition: label,
    },
    annotations: { title: `[${transition} on {availability-zone:us-east-1a,role:computing-node}] Load is high`, cycle_key: "7051744127165707294" },
  },
});

describe("datadog adapter over PulumiScale's template", () => {
  it("fits GitHub's dispatch API as it is: event_type and a client_payload of two keys", () => {
    const body = delivery("Triggered", "Load is high");
    expect(Object.keys(body)).toEqual(["event_type", "client_payload"]);
    expect(Object.keys(body["client_payload"] as object)).toEqual(["source", "datadog"]);
  });

  it.each<[string, string]>([
    ["Triggered", "firing"],
    ["Re-Triggered", "firing"],
    ["Recovered", "resolved"],
    ["No Data", "no-data"],
    ["Re-No Data", "no-data"],
  ])("reads %s as %s", (transition, status) => {
    const title = `[${transition} on {availability-zone:us-east-1a,role:computing-node}] Load is high`;
    const label = transition.replace(/^Re-/, "");
    expect(read(delivery(transition, title))).toEqual([signal(transition, status, label)]);
  });

  it.each(["Warn", "Re-Warn", "Renotify"])("reads %s as an alert that changes nothing unless a rule names it", (transition) => {
    const title = `[${transition} on {host:web-1}] Load is high`;
    const [read1] = read(delivery(transition, title, { TAGS: "pulumiscale_target:workers,pulumiscale_adjust:-1" }));
    const label = transition === "Renotify" ? "Renotify" : "Warn";
    expect(read1).toMatchObject({ alert: { status: "firing", optInLabels: { transition: label } } });
    // The alert's own settings are not read for a warning: only a rule gives it an adjustment.
    expect(read1!.target).toBeUndefined();
    expect(read1!.reason).toMatch(new RegExp(`\\(changes nothing unless a rule matches transition: "${label}"\\)$`));
  });

  it("lets a rule opt in to warnings by naming the transition, and keeps other rules from them", () => {
    const targets = { workers: { urn: "urn:pulumi:prod::web::pool::workers", config: "workerCount", current: 3, min: 1, max: 10 } };
    const policy = (rules: unknown[]) => parsePolicy({ version: 1, targets, rules }, "pulumiscale");
    const warn = read(delivery("Warn", "[Warn] Load is high"));
    const triggered = read(delivery("Triggered", "[Triggered] Load is high"));
    const anyFiring = policy([{ match: { source: "datadog", name: "Load is high" }, target: "workers", firing: "+2" }]);
    expect(resolveSignals(anyFiring, warn).resolved).toEqual([]);
    expect(resolveSignals(anyFiring, triggered).resolved).toHaveLength(1);
    const onWarn = policy([{ match: { source: "datadog", name: "Load is high", labels: { transition: "Warn" } }, target: "workers", firing: "+1" }]);
    expect(resolveSignals(onWarn, warn).resolved).toEqual([expect.objectContaining({ adjustment: { type: "change", by: 1 } })]);
  });

  it("reads a test notification ([TEST] in the title) as an alert that changes nothing unless a rule names test: \"true\"", () => {
    const [test] = read(delivery("Triggered", "[TEST] [Triggered] Load is high"));
    expect(test).toMatchObject({ alert: { name: "Load is high", labels: { test: "true" }, optInLabels: { test: "true" } } });
    expect(test!.reason).toMatch(/^test notification: monitor Load is high Triggered/);
  });

  it("takes pulumiscale_target from the tags and the adjustment from the template's annotations (tags cannot hold + or =)", () => {
    const body = delivery("Triggered", "Load is high", { TAGS: "pulumiscale_target:workers" });
    (body["client_payload"] as { datadog: Record<string, unknown> }).datadog["annotations"] = { pulumiscale_adjust: "+2" };
    expect(read(body)[0]).toMatchObject({ target: "workers", adjustment: { type: "change", by: 2 } });
  });

  it("reads a monitor without a metric ($ALERT_METRIC empty) and without scope", () => {
    const [signal] = read(delivery("Triggered", "Service check failed", { ALERT_METRIC: "", ALERT_SCOPE: "", TAGS: "" }));
    expect(signal!.alert!.labels).toEqual({ monitor_id: "1234", transition: "Triggered" });
    expect(signal!.reason).toBe("monitor Service check failed Triggered");
  });

  it("keeps both values of a tag key given twice", () => {
    const [signal] = read(delivery("Triggered", "Load is high", { TAGS: "team:a,team:b", ALERT_SCOPE: "" }));
    expect(signal!.alert!.labels["team"]).toBe("a,b");
  });
});

describe("datadog adapter refuses what it cannot read, naming the path, the value and what to do", () => {
  it("refuses Datadog's default body and names the template to use", () => {
    const readDefault = () => parsePayload({ source: "datadog", datadog: datadogDefaultTemplate() }, "client_payload");
    expect(readDefault).toThrow(PayloadError);
    expect(readDefault).toThrow(
      "client_payload.datadog.transition: expected the alert transition ($ALERT_TRANSITION), got nothing: this is Datadog's default webhook body, which does not say whether an alert fired or recovered; set the webhook's payload to PulumiScale's template (docs/events.md, \"Datadog\" (examples/alerts/datadog/))",
    );
  });

  it.each<[string, Record<string, string>, string]>([
    ["a transition Datadog does not send", { ALERT_TRANSITION: "Alert" }, 'client_payload.datadog.transition: expected one of "Triggered", "Re-Triggered", "Recovered", "No Data", "Re-No Data", "Warn", "Re-Warn" or "Renotify" ($ALERT_TRANSITION), got "Alert"'],
    [
      "a variable Datadog did not fill in",
      { ALERT_TRANSITION: "$ALERT_STATE" },
      'client_payload.datadog.transition: expected the alert transition ($ALERT_TRANSITION), filled in by Datadog; the variable is not one Datadog knows, got "$ALERT_STATE"',
    ],
    ["an empty title", { ALERT_TITLE: "" }, 'client_payload.datadog.title: expected text of at least 1 characters, got ""'],
  ])("refuses %s", (_name, variables, message) => {
    const body = datadogDelivery({ ...documented, ALERT_TRANSITION: "Triggered", ALERT_TITLE: "Load is high", ...variables });
    expect(() => read(body)).toThrow(PayloadError);
    expect(() => read(body)).toThrow(message);
  });
});
