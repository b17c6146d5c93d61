// Every real payload fixture, read through the registry exactly as the action reads client_payload.
import { parsePayload } from "../../src/adapters/registry.js";
import { PayloadError, type ScalingSignal } from "../../src/adapters/signal.js";
import {
  alertmanagerFiring,
  alertmanagerResolved,
  eventBridgeAlarm,
  fixture,
  snsMetricMath,
  snsNotification,
  snsSingleMetric,
} from "./payloads.js";

const groupKey = '{}:{alertname="HighCPU", stack="prod"}';
const highCpuLabels = (service: string) => ({
  alertname: "HighCPU",
  pulumi_project: "web",
  service,
  severity: "critical",
  stack: "prod",
});
const highCpuAnnotations = { autoscale_direction: "up", autoscale_step: "2", summary: "CPU above 85% for 5m" };

const highCpu = (service: string, fingerprint: string, status: "firing" | "resolved"): ScalingSignal => ({
  source: "alertmanager",
  reason: `HighCPU{service="${service}"} ${status}: CPU above 85% for 5m`,
  deliveryId: `${groupKey}|${fingerprint}|2026-11-26T10:23:46Z|${status}`,
  deliveryIdKind: "occurrence",
  alert: { name: "HighCPU", status, labels: highCpuLabels(service), annotations: highCpuAnnotations },
});

const exampleAlarmReason =
  "Threshold Crossed: 1 out of the last 1 datapoints [1234.0 (06/03/15 17:43:27)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).";

const snsExampleAlarm = (account: string, watches: string): ScalingSignal => ({
  source: "cloudwatch",
  reason: `alarm EXAMPLE INSUFFICIENT_DATA → ALARM (${watches}, threshold 0)`,
  deliveryId: "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
  alert: {
    name: "EXAMPLE",
    status: "firing",
    labels: { InstanceId: "TestInstance", namespace: "AWS/EC2", metric: "NetworkOut", region: "REGION", account },
    annotations: { description: "EXAMPLE", reason: exampleAlarmReason, previous_state: "INSUFFICIENT_DATA" },
    threshold: 0,
  },
});

describe("payload fixtures become exact signals", () => {
  it.each<[string, () => Record<string, unknown>, ScalingSignal[]]>([
    [
      "Alertmanager 0.25.0, two firing alerts in one group",
      () => ({ source: "alertmanager", stack: "org/web/prod", alertmanager: alertmanagerFiring() }),
      [highCpu("api", "b2ed85ef4a75fe6a", "firing"), highCpu("worker", "f00e6d99540eeb30", "firing")],
    ],
    [
      "Alertmanager 0.25.0, the same group resolved",
      () => ({ source: "alertmanager", alertmanager: alertmanagerResolved() }),
      [highCpu("api", "b2ed85ef4a75fe6a", "resolved"), highCpu("worker", "f00e6d99540eeb30", "resolved")],
    ],
    [
      "CloudWatch single-metric alarm through SNS (Lambda delivery)",
      () => ({ source: "cloudwatch", sns: snsSingleMetric() }),
      [snsExampleAlarm("123456789012", "NetworkOut")],
    ],
    [
      "CloudWatch alarm message inside the SNS guide's HTTP notification",
      () => ({ source: "cloudwatch", sns: snsNotification(fixture("cloudwatch/cloudwatch-alarm-message-single-metric.aws-lambda-go.json")) }),
      [{ ...snsExampleAlarm("123456789012", "NetworkOut"), deliveryId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324" }],
    ],
    [
      "CloudWatch metric-math alarm through SNS: labels from the one metric, named by its expression label",
      () => ({ source: "cloudwatch", sns: snsMetricMath() }),
      [snsExampleAlarm("EXAMPLE", "Expression1")],
    ],
    [
      "CloudWatch alarm state change through EventBridge, with the value from reasonData",
      () => ({ source: "cloudwatch", eventbridge: eventBridgeAlarm() }),
      [
        {
          source: "cloudwatch",
          reason: "alarm ServerCpuTooHigh OK → ALARM (CPUUtilization 99.50160229693434, threshold 50)",
          deliveryId: "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
          alert: {
            name: "ServerCpuTooHigh",
            status: "firing",
            labels: { InstanceId: "i-12345678901234567", namespace: "AWS/EC2", metric: "CPUUtilization", region: "us-east-1", account: "123456789012" },
            annotations: {
              description: "Goes into alarm when server CPU utilization is too high!",
              reason:
                "Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).",
              previous_state: "OK",
            },
            value: 99.50160229693434,
            threshold: 50,
          },
        },
      ],
    ],
  ])("%s", (_name, payload, expected) => {
    expect(parsePayload(payload(), "client_payload")).toEqual(expected);
  });

  it.each([
    ["the SNS guide's plain-text notification", () => fixture("sns/sns-notification.json"), 'client_payload.sns.Message: expected a CloudWatch alarm as a JSON string, got "Hello world!"'],
    [
      "the SNS guide's subscription confirmation",
      () => fixture("sns/sns-subscription-confirmation.json"),
      'client_payload.sns.Type: expected "Notification" (the relay answers subscription confirmations; they are not forwarded), got "SubscriptionConfirmation"',
    ],
    [
      "the SNS guide's unsubscribe confirmation",
      () => fixture("sns/sns-unsubscribe-confirmation.json"),
      'client_payload.sns.Type: expected "Notification" (the relay answers subscription confirmations; they are not forwarded), got "UnsubscribeConfirmation"',
    ],
  ])("refuses %s", (_name, envelope, message) => {
    const read = () => parsePayload({ source: "cloudwatch", sns: envelope() }, "client_payload");
    expect(read).toThrow(PayloadError);
    expect(read).toThrow(message);
  });
});

describe("alert states and variants built from the fixtures", () => {
  const eventBridgeIn = (state: string, previous = "ALARM", reasonData?: string) => {
    const event = eventBridgeAlarm() as { detail: Record<string, Record<string, unknown>> };
    event.detail["state"] = { ...event.detail["state"], value: state, ...(reasonData === undefined ? {} : { reasonData }) };
    event.detail["previousState"] = { ...event.detail["previousState"], value: previous };
    return { source: "cloudwatch", eventbridge: event };
  };

  it.each([
    ["ALARM", "firing"],
    ["OK", "resolved"],
    ["INSUFFICIENT_DATA", "no-data"],
  ])("EventBridge %s is an alert with status %s", (state, status) => {
    const [signal] = parsePayload(eventBridgeIn(state), "client_payload");
    expect(signal!.alert!.status).toBe(status);
    expect(signal!.reason).toMatch(new RegExp(`^alarm ServerCpuTooHigh ALARM → ${state} `));
    expect(signal!.target).toBeUndefined();
    expect(signal!.adjustment).toBeUndefined();
  });

  it.each([
    ["SNS", "OK", "resolved"],
    ["SNS", "INSUFFICIENT_DATA", "no-data"],
  ])("%s %s is an alert with status %s", (_shape, state, status) => {
    const message = { ...fixture("cloudwatch/cloudwatch-alarm-message-single-metric.aws-lambda-go.json"), NewStateValue: state };
    const [signal] = parsePayload({ source: "cloudwatch", sns: snsNotification(message) }, "client_payload");
    expect(signal!.alert!.status).toBe(status);
  });

  it("takes the newest evaluated datapoint when reasonData has timestamps", () => {
    const reasonData = JSON.stringify({
      recentDatapoints: [7, 9],
      threshold: 5,
      evaluatedDatapoints: [
        { timestamp: "2023-08-04T12:29:00.000+0000", value: 7 },
        { timestamp: "2023-08-04T12:30:00.000+0000", value: 9 },
        { timestamp: "2023-08-04T12:28:00.000+0000" },
      ],
    });
    const [signal] = parsePayload(eventBridgeIn("ALARM", "OK", reasonData), "client_payload");
    expect(signal!.alert).toMatchObject({ value: 9, threshold: 5 });
  });

  it.each([
    ["not JSON", "Threshold Crossed"],
    ["no datapoints", JSON.stringify({ recentDatapoints: [] })],
    ["datapoints of the wrong type", JSON.stringify({ recentDatapoints: ["high"], threshold: "50" })],
  ])("ignores reasonData with %s: it is informative, not a decision input", (_name, reasonData) => {
    const [signal] = parsePayload(eventBridgeIn("ALARM", "OK", reasonData), "client_payload");
    expect(signal!.alert!.value).toBeUndefined();
    expect(signal!.alert!.status).toBe("firing");
  });

  it("keeps only the dimensions every metric of a metric-math alarm agrees on", () => {
    const event = eventBridgeAlarm() as { detail: { configuration: Record<string, unknown> } };
    const metric = (name: string, dimensions: Record<string, string>) => ({
      id: name,
      metricStat: { metric: { namespace: "AWS/SQS", name, dimensions }, period: 60, stat: "Sum" },
      returnData: false,
    });
    event.detail.configuration["metrics"] = [
      { id: "e1", expression: "m1 / m2", label: "backlog per worker", returnData: true },
      metric("ApproximateNumberOfMessagesVisible", { QueueName: "jobs", Env: "prod" }),
      metric("NumberOfMessagesDeleted", { QueueName: "jobs", Env: "staging" }),
    ];
    const [signal] = parsePayload({ source: "cloudwatch", eventbridge: event }, "client_payload");
    expect(signal!.alert!.labels).toEqual({ QueueName: "jobs", namespace: "AWS/SQS", region: "us-east-1", account: "123456789012" });
    expect(signal!.reason).toBe("alarm ServerCpuTooHigh OK → ALARM (backlog per worker 99.50160229693434, threshold 50)");
  });

  it("reads a group that mixes firing and resolved alerts, each on its own", () => {
    const body = alertmanagerFiring() as { alerts: Record<string, unknown>[] };
    body.alerts[1] = { ...body.alerts[1], status: "resolved", endsAt: "2026-11-26T10:23:50Z" };
    const signals = parsePayload({ source: "alertmanager", alertmanager: body }, "client_payload");
    expect(signals.map((signal) => [signal.alert!.status, signal.deliveryId!.split("|").at(-1)])).toEqual([
      ["firing", "firing"],
      ["resolved", "resolved"],
    ]);
  });

  it("notes alerts Alertmanager left out of the group", () => {
    const body = { ...alertmanagerFiring(), truncatedAlerts: 3 };
    const [signal] = parsePayload({ source: "alertmanager", alertmanager: body }, "client_payload");
    expect(signal!.reason).toBe('HighCPU{service="api"} firing: CPU above 85% for 5m (Alertmanager left 3 more alerts of this group out)');
  });

  it.each<[string, Record<string, string>, Record<string, string>, Partial<ScalingSignal>]>([
    ["labels", { pulumiscale_target: "workers", pulumiscale_adjust: "+2" }, {}, { target: "workers", adjustment: { type: "change", by: 2 } }],
    ["annotations", {}, { pulumiscale_target: "workers", pulumiscale_adjust: "=5" }, { target: "workers", adjustment: { type: "exact", count: 5 } }],
    ["labels, before annotations", { pulumiscale_adjust: "-1" }, { pulumiscale_target: "web", pulumiscale_adjust: "+9" }, { target: "web", adjustment: { type: "change", by: -1 } }],
    ["labels, a target alone", { pulumiscale_target: "workers" }, {}, { target: "workers" }],
  ])("reads an alert's own target and adjustment from its %s", (_name, labels, annotations, expected) => {
    const body = alertmanagerFiring() as { alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] };
    Object.assign(body.alerts[0]!.labels, labels);
    Object.assign(body.alerts[0]!.annotations, annotations);
    const [signal] = parsePayload({ source: "alertmanager", alertmanager: body }, "client_payload");
    expect({ target: signal!.target, adjustment: signal!.adjustment }).toEqual({ target: undefined, adjustment: undefined, ...expected });
  });

  it("uses pulumiscale_adjust_resolved, not pulumiscale_adjust, once the alert is resolved", () => {
    const body = alertmanagerResolved() as { alerts: { labels: Record<string, string> }[] };
    Object.assign(body.alerts[0]!.labels, { pulumiscale_target: "workers", pulumiscale_adjust: "+2", pulumiscale_adjust_resolved: "-1" });
    Object.assign(body.alerts[1]!.labels, { pulumiscale_target: "workers", pulumiscale_adjust: "+2" });
    const [first, second] = parsePayload({ source: "alertmanager", alertmanager: body }, "client_payload");
    expect(first!.adjustment).toEqual({ type: "change", by: -1 });
    expect(second!.adjustment).toBeUndefined();
  });
});
