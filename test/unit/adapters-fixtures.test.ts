// Every real payload fixture, read through the registry exactly as the action reads client_payload.
import { oneLine } from "../../src/adapters/fields.js";
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
  began: "2026-11-26T10:23:46.000Z",
});

const exampleAlarmReason =
  "Threshold Crossed: 1 out of the last 1 datapoints [1234.0 (06/03/15 17:43:27)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).";

const snsExampleAlarm = (account: string, watches: string): ScalingSignal => ({
  source: "cloudwatch",
  reason: `alarm EXAMPLE INSUFFICIENT_DATA → ALARM (${watches}, threshold 0)`,
  deliveryId: "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
  began: "2015-06-03T17:43:27.123Z",
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
          began: "2019-10-02T17:04:40.000Z",
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

describe("free text arrives on one line", () => {
  it.each<[string, string, string]>([
    ["line feeds", "a\nb", "a b"],
    ["a CRLF, as one break", "a\r\nb", "a b"],
    ["tabs and escapes", "a\t\u001b[31mb", "a [31mb"],
    ["C1 controls such as next line", "a\u0085b\u009bc", "a b c"],
    ["line and paragraph separators", "a\u2028b\u2029c", "a b c"],
    ["a workflow command on a line of its own", "ok\n::add-mask::x", "ok ::add-mask::x"],
    ["plain text, unchanged", "CPU above 85% → +2 (ok)", "CPU above 85% → +2 (ok)"],
  ])("oneLine flattens %s", (_name, text, expected) => {
    expect(oneLine(text)).toBe(expected);
  });

  const alertWith = (labels: Record<string, string>, annotations: Record<string, string>) => {
    const body = alertmanagerFiring() as { alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] };
    body.alerts = body.alerts.slice(0, 1);
    Object.assign(body.alerts[0]!.labels, labels);
    body.alerts[0]!.annotations = annotations;
    return { source: "alertmanager", alertmanager: body };
  };
  const snsAlarm = (fields: Record<string, unknown>) => ({
    source: "cloudwatch",
    sns: snsNotification({ ...fixture("cloudwatch/cloudwatch-alarm-message-single-metric.aws-lambda-go.json"), ...fields }),
  });
  const eventBridgeNamed = (alarmName: string) => {
    const event = eventBridgeAlarm() as { detail: Record<string, unknown> };
    event.detail["alarmName"] = alarmName;
    return { source: "cloudwatch", eventbridge: event };
  };

  it.each<[string, Record<string, unknown>, string]>([
    [
      "an Alertmanager summary with line breaks",
      alertWith({}, { summary: "CPU high\n::warning::forged\r\npulumiscale-record: {}" }),
      'HighCPU{service="api"} firing: CPU high ::warning::forged pulumiscale-record: {}',
    ],
    ["an Alertmanager description, when there is no summary", alertWith({}, { description: "line one\n\nline two" }), 'HighCPU{service="api"} firing: line one line two'],
    ["an alertname with a line break", alertWith({ alertname: "High\nCPU" }, {}), 'High CPU{service="api"} firing'],
    ["a CloudWatch alarm name (SNS) with a line break", snsAlarm({ AlarmName: "EXAMPLE\n::error::x" }), "alarm EXAMPLE ::error::x INSUFFICIENT_DATA → ALARM (NetworkOut, threshold 0)"],
    ["a CloudWatch alarm name (EventBridge) with a tab", eventBridgeNamed("Server\tCpu"), "alarm Server Cpu OK → ALARM (CPUUtilization 99.50160229693434, threshold 50)"],
    ["a delta reason", { source: "delta", target: "workers", delta: 1, reason: " more\nworkers \n" }, "more workers"],
    ["a delta reason of line breaks only: the default reason", { source: "delta", target: "workers", delta: 1, reason: "\n\r\n" }, "requested +1"],
  ])("%s becomes a one-line reason", (_name, payload, reason) => {
    const [signal] = parsePayload(payload, "client_payload");
    expect(signal!.reason).toBe(reason);
    expect(signal!.reason).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a request id", { source: "count", target: "workers", count: 2, id: "req\n1" }, "req 1"],
    ["an SNS MessageId", { ...snsAlarm({}), sns: { ...(snsAlarm({}).sns as object), MessageId: "m\r\n1" } }, "m 1"],
  ])("%s arrives on one line", (_name, payload, id) => {
    expect(parsePayload(payload, "client_payload")[0]!.deliveryId).toBe(id);
  });

  it("keeps the alert's own labels and annotations as sent, for rules to match", () => {
    const [signal] = parsePayload(alertWith({}, { summary: "a\nb" }), "client_payload");
    expect(signal!.alert!.annotations).toEqual({ summary: "a\nb" });
  });
});
