// Every way a payload can be wrong ends in one PayloadError that names the path, quotes the
// value found there and says what was expected.
import { MAX_PAYLOAD_BYTES, parsePayload } from "../../src/adapters/registry.js";
import { PayloadError } from "../../src/adapters/signal.js";
import { quote } from "../../src/errors.js";
import { alertmanagerFiring, eventBridgeAlarm, fixture, snsNotification } from "./payloads.js";

type Path = readonly (string | number)[];
const REMOVE = Symbol("remove");

/** A copy of `value` with the field at `path` replaced (or removed). */
function withField(value: unknown, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (replacement === REMOVE) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** `alerts[0].labels.alertname`, `["detail-type"]`. */
function written(path: Path): string {
  return path.map((key) => (typeof key === "number" ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`)).join("");
}

function expectPayloadError(read: () => unknown, path: string, got: string): void {
  let error: unknown;
  try {
    read();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(PayloadError);
  const payloadError = error as PayloadError;
  expect(payloadError.path).toBe(path);
  expect(payloadError.problem).toMatch(/^expected .+, got /);
  expect(payloadError.problem.endsWith(`, got ${got}`)).toBe(true);
}

const alarmMessage = () => fixture("cloudwatch/cloudwatch-alarm-message-single-metric.aws-lambda-go.json");

/** One shape: how to build a payload around a (possibly broken) body, and where the body sits. */
interface Shape {
  readonly name: string;
  readonly body: () => unknown;
  readonly payload: (body: unknown) => Record<string, unknown>;
  readonly at: string;
  /** Required fields, with a value of the wrong type for each. */
  readonly required: readonly (readonly [Path, unknown])[];
}

const shapes: Shape[] = [
  {
    name: "alertmanager",
    body: alertmanagerFiring,
    payload: (body) => ({ source: "alertmanager", alertmanager: body }),
    at: "client_payload.alertmanager",
    required: [
      [["version"], 4],
      [["groupKey"], ["x"]],
      [["alerts"], { 0: {} }],
      [["alerts", 0], "alert"],
      [["alerts", 0, "status"], true],
      [["alerts", 0, "labels"], "alertname=HighCPU"],
      [["alerts", 0, "labels", "alertname"], 7],
      [["alerts", 1, "startsAt"], 1764152626],
      [["alerts", 1, "fingerprint"], null],
    ],
  },
  {
    name: "cloudwatch via SNS (envelope)",
    body: () => snsNotification(alarmMessage()),
    payload: (body) => ({ source: "cloudwatch", sns: body }),
    at: "client_payload.sns",
    required: [
      [["Type"], 1],
      [["MessageId"], 42],
      [["Message"], { AlarmName: "inline objects are not what SNS sends" }],
    ],
  },
  {
    name: "cloudwatch via SNS (alarm in Message)",
    body: alarmMessage,
    payload: (body) => ({ source: "cloudwatch", sns: snsNotification(body) }),
    at: "client_payload.sns.Message",
    required: [
      [["AlarmName"], ["EXAMPLE"]],
      [["NewStateValue"], "ALARMING"],
      [["AlarmArn"], false],
    ],
  },
  {
    name: "cloudwatch via EventBridge",
    body: eventBridgeAlarm,
    payload: (body) => ({ source: "cloudwatch", eventbridge: body }),
    at: "client_payload.eventbridge",
    required: [
      [["id"], 12],
      [["detail-type"], "EC2 Instance State-change Notification"],
      [["source"], "aws.ec2"],
      [["detail"], "{}"],
      [["detail", "alarmName"], 0],
      [["detail", "state"], "ALARM"],
      [["detail", "state", "value"], "alarm"],
    ],
  },
];

describe.each(shapes)("$name", (shape) => {
  it.each(shape.required.map(([path, wrong]) => [written(path), path, wrong] as const))("%s missing is refused", (name, path) => {
    expectPayloadError(() => parsePayload(shape.payload(withField(shape.body(), path, REMOVE)), "client_payload"), `${shape.at}${name}`, "nothing");
  });

  it.each(shape.required.map(([path, wrong]) => [written(path), path, wrong] as const))("%s of the wrong type is refused", (name, path, wrong) => {
    expectPayloadError(() => parsePayload(shape.payload(withField(shape.body(), path, wrong)), "client_payload"), `${shape.at}${name}`, quote(wrong));
  });

  it("tolerates fields it does not know", () => {
    const body = { ...(shape.body() as object), addedInAFutureVersion: { nested: [1, 2, 3] } };
    expect(parsePayload(shape.payload(body), "client_payload")).toHaveLength(shape.name === "alertmanager" ? 2 : 1);
  });
});

describe("values out of range or of the wrong form", () => {
  const alert = (labels: Record<string, string>, annotations: Record<string, string> = {}) => {
    const body = alertmanagerFiring() as { alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] };
    Object.assign(body.alerts[0]!.labels, labels);
    Object.assign(body.alerts[0]!.annotations, annotations);
    return { source: "alertmanager", alertmanager: body };
  };
  const am = "client_payload.alertmanager";

  it.each<[string, () => Record<string, unknown>, string, string]>([
    ["a webhook version other than 4", () => ({ source: "alertmanager", alertmanager: { ...alertmanagerFiring(), version: "3" } }), `${am}.version`, '"3"'],
    ["a negative truncatedAlerts", () => ({ source: "alertmanager", alertmanager: { ...alertmanagerFiring(), truncatedAlerts: -1 } }), `${am}.truncatedAlerts`, "-1"],
    ["an alert status Alertmanager does not send", () => ({ source: "alertmanager", alertmanager: withField(alertmanagerFiring(), ["alerts", 0, "status"], "pending") as object }), `${am}.alerts[0].status`, '"pending"'],
    ["an empty alertname", () => alert({ alertname: "" }), `${am}.alerts[0].labels.alertname`, '""'],
    ["a label that is not text", () => ({ source: "alertmanager", alertmanager: withField(alertmanagerFiring(), ["alerts", 0, "labels", "severity"], 3) as object }), `${am}.alerts[0].labels.severity`, "3"],
    ["an over-long label value", () => alert({ severity: "x".repeat(1025) }), `${am}.alerts[0].labels.severity`, JSON.stringify("x".repeat(1025))],
    ["an adjustment label of the wrong form", () => alert({ pulumiscale_adjust: "lots" }), `${am}.alerts[0].labels.pulumiscale_adjust`, '"lots"'],
    ["an adjustment annotation without a sign", () => alert({}, { pulumiscale_adjust: "2" }), `${am}.alerts[0].annotations.pulumiscale_adjust`, '"2"'],
    ["a resolved adjustment of the wrong form", () => alert({ pulumiscale_adjust_resolved: "=2%" }), `${am}.alerts[0].labels.pulumiscale_adjust_resolved`, '"=2%"'],
    ["a target label that is no target name", () => alert({ pulumiscale_target: "web workers" }), `${am}.alerts[0].labels.pulumiscale_target`, '"web workers"'],
    ["more alerts than any group should carry", () => ({ source: "alertmanager", alertmanager: { ...alertmanagerFiring(), alerts: Array.from({ length: 1001 }, () => 0) } }), `${am}.alerts`, quote(Array.from({ length: 1001 }, () => 0))],
    ["an SNS Message that is not JSON", () => ({ source: "cloudwatch", sns: snsNotification("ALARM: EXAMPLE") }), "client_payload.sns.Message", '"ALARM: EXAMPLE"'],
    ["an SNS Message that is JSON but not an object", () => ({ source: "cloudwatch", sns: snsNotification("[1]") }), "client_payload.sns.Message", "[1]"],
    ["an alarm ARN that is no ARN", () => ({ source: "cloudwatch", sns: snsNotification({ ...alarmMessage(), AlarmArn: "EXAMPLE" }) }), "client_payload.sns.Message.AlarmArn", '"EXAMPLE"'],
    ["a threshold given as text", () => ({ source: "cloudwatch", sns: snsNotification(withField(alarmMessage(), ["Trigger", "Threshold"], "0.0")) }), "client_payload.sns.Message.Trigger.Threshold", '"0.0"'],
    ["SNS dimensions given as an object (EventBridge's form)", () => ({ source: "cloudwatch", sns: snsNotification(withField(alarmMessage(), ["Trigger", "Dimensions"], { InstanceId: "i-1" })) }), "client_payload.sns.Message.Trigger.Dimensions", '{"InstanceId":"i-1"}'],
    ["EventBridge dimensions given as a list (SNS's form)", () => ({ source: "cloudwatch", eventbridge: withField(eventBridgeAlarm(), ["detail", "configuration", "metrics", 0, "metricStat", "metric", "dimensions"], [{ name: "InstanceId", value: "i-1" }]) as object }), "client_payload.eventbridge.detail.configuration.metrics[0].metricStat.metric.dimensions", '[{"name":"InstanceId","value":"i-1"}]'],
  ])("refuses %s", (_name, payload, path, got) => {
    expectPayloadError(() => parsePayload(payload(), "client_payload"), path, got);
  });

  it("says what a bad adjustment should look like", () => {
    expect(() => parsePayload(alert({ pulumiscale_adjust: "lots" }), "client_payload")).toThrow(
      'client_payload.alertmanager.alerts[0].labels.pulumiscale_adjust: expected "+N" (add N), "-N" (remove N), "+N%" or "-N%" (add or remove N percent) or "=N" (set to N), got "lots"',
    );
  });
});

describe("the payload as a whole", () => {
  it.each<[string, unknown, string, string]>([
    ["not an object", [1], "client_payload", "[1]"],
    ["an unknown source", { source: "pagerduty", pagerduty: {} }, "client_payload.source", '"pagerduty"'],
    ["a source that is not text", { source: 1 }, "client_payload.source", "1"],
    ["no source and nothing to infer it from", { target: "workers" }, "client_payload.source", "nothing"],
    ["an alertmanager source without its body", { source: "alertmanager" }, "client_payload.alertmanager", "nothing"],
    ["an alertmanager body that is text", { source: "alertmanager", alertmanager: "{}" }, "client_payload.alertmanager", '"{}"'],
    ["a cloudwatch source with both shapes", { source: "cloudwatch", sns: {}, eventbridge: {} }, "client_payload", "both"],
    ["a cloudwatch source with neither shape", { source: "cloudwatch", alarm: {} }, "client_payload", "neither"],
    ["an SNS envelope that is not an object", { source: "cloudwatch", sns: "Notification" }, "client_payload.sns", '"Notification"'],
  ])("refuses %s", (_name, payload, path, got) => {
    expectPayloadError(() => parsePayload(payload, "client_payload"), path, got);
  });

  it("names every source it knows when the source is unknown", () => {
    expect(() => parsePayload({ source: "pagerduty" }, "client_payload")).toThrow(
      'client_payload.source: expected one of "alertmanager", "azure-monitor", "cloudwatch", "count", "datadog", "delta", "google-cloud-monitoring", "grafana", got "pagerduty"',
    );
  });

  it.each([
    ["alertmanager", (padding: string) => ({ source: "alertmanager", alertmanager: { ...alertmanagerFiring(), padding } })],
    ["cloudwatch", (padding: string) => ({ source: "cloudwatch", eventbridge: { ...eventBridgeAlarm(), padding } })],
  ])("refuses an oversized %s payload before reading it", (_name, payload) => {
    const read = () => parsePayload(payload("x".repeat(MAX_PAYLOAD_BYTES)), "client_payload");
    expect(read).toThrow(PayloadError);
    expect(read).toThrow(/^client_payload: is \d+ bytes; at most 65536 are accepted$/);
  });
});
