// Google Cloud Monitoring's webhook notifications, read through the registry as the action reads
// them. Fields come from Cloud Monitoring's "Create and manage notification channels" page,
// webhooks section (cloud.google.com/monitoring/support/notification-options#webhooks), schema
// 1.2: the fixture is its example (a closed incident); the variants change fields that schema
// documents, and the PromQL and metric-absence conditions follow the AlertPolicy reference
// (conditionPrometheusQueryLanguage, conditionAbsent).
import { parsePayload } from "../../src/adapters/registry.js";
import { PayloadError, type ScalingSignal } from "../../src/adapters/signal.js";
import { resolveSignals } from "../../src/engine/resolve.js";
import { parsePolicy } from "../../src/policy/schema.js";
import { googleClosed } from "./payloads.js";

type Body = { incident: Record<string, unknown>; version: string };
const read = (body: unknown) => parsePayload({ source: "google-cloud-monitoring", "google-cloud-monitoring": body }, "client_payload");

/** The docs' example with incident fields changed (undefined removes one). */
function variant(incident: Record<string, unknown>, version?: string): Body {
  const body = googleClosed() as Body;
  const merged = Object.fromEntries(Object.entries({ ...body.incident, ...incident }).filter(([, value]) => value !== undefined));
  return { incident: merged, version: version ?? body.version };
}

const docsLabels = {
  instance_id: "11223344",
  project_id: "internal-project",
  zone: "us-central1-c",
  instance_name: "the name of the VM instance",
  "user-label-1": "important label",
  "user-label-2": "another label",
  resource_type: "gce_instance",
  metric_type: "compute.googleapis.com/instance/cpu/utilization",
};

const opened = { state: "open", ended_at: null, summary: "CPU utilization for internal-project gke-cluster-1-16-default-pool-e2df4cbd-dgp3 is above the threshold of 0.9 with a value of 0.95.", observed_value: "0.95" };

describe("google-cloud-monitoring adapter over webhook schema 1.2", () => {
  it("reads the docs' example: a closed incident, labels from resource, metric and policy, values from their text", () => {
    const expected: ScalingSignal[] = [
      {
        source: "google-cloud-monitoring",
        reason: "policy Monitor-Project-Cluster incident closed on VM Instance - CPU utilization [MAX] (value 0.835, threshold 0.9)",
        deliveryId: "0.opqiw61fsv7p|closed|1577840461",
        deliveryIdKind: "occurrence",
        began: "2020-01-01T01:01:01.000Z",
        alert: {
          name: "Monitor-Project-Cluster",
          status: "resolved",
          labels: docsLabels,
          annotations: {
            summary: (googleClosed() as Body).incident["summary"] as string,
            condition: "VM Instance - CPU utilization [MAX]",
            documentation: ((googleClosed() as Body).incident["documentation"] as { content: string }).content,
            url: "https://console.cloud.google.com/monitoring/alerting/incidents/0.lxfiw61fsv7p?project=internal-project",
          },
          value: 0.835,
          threshold: 0.9,
        },
      },
    ];
    expect(read(googleClosed())).toEqual(expected);
  });

  it.each<[string, Body, { status: string; value?: number; threshold?: number; id: string }]>([
    ["the incident opened", variant(opened), { status: "firing", value: 0.95, threshold: 0.9, id: "0.opqiw61fsv7p|open|1577840461" }],
    ["the state in capitals, as test notifications send it", variant({ ...opened, state: "OPEN" }), { status: "firing", value: 0.95, threshold: 0.9, id: "0.opqiw61fsv7p|open|1577840461" }],
    ["the observed value missing", variant({ ...opened, observed_value: undefined }), { status: "firing", threshold: 0.9, id: "0.opqiw61fsv7p|open|1577840461" }],
    ["the observed value empty", variant({ ...opened, observed_value: "" }), { status: "firing", threshold: 0.9, id: "0.opqiw61fsv7p|open|1577840461" }],
    [
      "a PromQL condition, which has neither value: the value from metric.labels.value",
      variant({
        ...opened,
        observed_value: undefined,
        threshold_value: undefined,
        metric: { type: "prometheus.googleapis.com/up/gauge", displayName: "", labels: { job: "api", value: "37" } },
        condition: { name: "projects/internal-project/alertPolicies/1/conditions/2", displayName: "queue depth", conditionPrometheusQueryLanguage: { query: "sum(queue_depth) > 30", duration: "60s" } },
      }),
      { status: "firing", value: 37, id: "0.opqiw61fsv7p|open|1577840461" },
    ],
    [
      "a metric-absence condition opened: missing data",
      variant({ ...opened, observed_value: undefined, threshold_value: undefined, condition: { name: "c", displayName: "no heartbeat", conditionAbsent: { filter: "metric.type=\"x\"", duration: "300s" } } }),
      { status: "no-data", id: "0.opqiw61fsv7p|open|1577840461" },
    ],
  ])("reads %s", (_name, body, expected) => {
    const [signal] = read(body);
    expect(signal!.alert!.status).toBe(expected.status);
    expect(signal!.alert!.value).toBe(expected.value);
    expect(signal!.alert!.threshold).toBe(expected.threshold);
    expect(signal!.deliveryId).toBe(expected.id);
  });

  it("reads the console's test notification, which changes nothing unless a rule names test: \"true\"", () => {
    // "Test connection" sends the 1.2 shape with version "test", state "OPEN" and documentation as text.
    const body = variant({ incident_id: "12345", state: "OPEN", policy_name: "projects/12345/alertPolicies/12345", documentation: "Test documentation", observed_value: "1.0", threshold_value: "1.0" }, "test");
    const signals = read(body);
    expect(signals[0]).toMatchObject({ reason: expect.stringMatching(/^test notification: policy projects\/12345\/alertPolicies\/12345 incident open/), alert: { status: "firing", labels: { test: "true" }, annotations: { documentation: "Test documentation" } } });
    const targets = { workers: { urn: "urn:pulumi:prod::web::pool::workers", config: "workerCount", current: 3, min: 1, max: 10 } };
    const everyAlert = parsePolicy({ version: 1, targets, rules: [{ match: { source: "google-cloud-monitoring" }, target: "workers", firing: "+1" }] }, "pulumiscale");
    expect(resolveSignals(everyAlert, signals).resolved).toEqual([]);
    const optedIn = parsePolicy({ version: 1, targets, rules: [{ match: { source: "google-cloud-monitoring", labels: { test: "true" } }, target: "workers", firing: "+1" }] }, "pulumiscale");
    expect(resolveSignals(optedIn, signals).resolved).toHaveLength(1);
  });

  it("takes pulumiscale_target from the policy's user labels", () => {
    const [signal] = read(variant({ ...opened, policy_user_labels: { pulumiscale_target: "workers", pulumiscale_adjust: "-1" } }));
    expect(signal).toMatchObject({ target: "workers", adjustment: { type: "change", by: -1 } });
  });
});

describe("google-cloud-monitoring adapter refuses what it cannot read, naming the path, the value and what to do", () => {
  const at = 'client_payload["google-cloud-monitoring"]';
  it.each<[string, () => unknown, string]>([
    [
      "schema 1.1",
      () => ({ ...googleClosed(), version: "1.1" }),
      `${at}.version: expected "1.2" (the webhook notification channel's schema; older channels send 1.1, which has no incident state to rely on), got "1.1"`,
    ],
    ["a state the schema does not have", () => variant({ state: "acknowledged" }), `${at}.incident.state: expected "open" or "closed", got "acknowledged"`],
    ["an observed value that is not a number", () => variant({ observed_value: "high" }), `${at}.incident.observed_value: expected a number as text such as "0.9", got "high"`],
    ["a policy without a name", () => variant({ policy_name: "" }), `${at}.incident.policy_name: expected text of at least 1 characters, got ""`],
  ])("refuses %s", (_name, body, message) => {
    expect(() => read(body())).toThrow(PayloadError);
    expect(() => read(body())).toThrow(message);
  });
});
