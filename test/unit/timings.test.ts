// The timings of a scaling: when each source says its condition began (read by the adapters
// from the vendors' documented examples), and the stages measured from those instants, with
// missing, garbage and skewed timestamps.
import { describe, expect, test } from "@jest/globals";
import { parsePayload } from "../../src/adapters/registry.js";
import { timingsLine } from "../../src/timings/format.js";
import { readInstant } from "../../src/timings/instant.js";
import { measureTimings } from "../../src/timings/stages.js";
import {
  alertmanagerFiring,
  alertmanagerResolved,
  azureMetricResolved,
  datadogDelivery,
  eventBridgeAlarm,
  googleClosed,
  grafanaFiring,
  snsMetricMath,
  snsNotification,
  snsSingleMetric,
} from "./payloads.js";

const datadogVariables = {
  ALERT_TRANSITION: "Triggered",
  ALERT_ID: "1234",
  ALERT_TITLE: "[Triggered] Load is high",
  TAGS: "env:prod",
  ID: "555",
};

/** Every source's documented example and the time its condition began, as the source wrote it. */
const sources: { name: string; payload: () => Record<string, unknown>; began: (string | undefined)[] }[] = [
  { name: "Alertmanager firing (startsAt)", payload: () => ({ source: "alertmanager", alertmanager: alertmanagerFiring() }), began: ["2026-11-26T10:23:46.000Z", "2026-11-26T10:23:46.000Z"] },
  { name: "Alertmanager resolved (startsAt)", payload: () => ({ source: "alertmanager", alertmanager: alertmanagerResolved() }), began: ["2026-11-26T10:23:46.000Z", "2026-11-26T10:23:46.000Z"] },
  { name: "CloudWatch in SNS (StateChangeTime, +0000)", payload: () => ({ source: "cloudwatch", sns: snsSingleMetric() }), began: ["2015-06-03T17:43:27.123Z"] },
  { name: "CloudWatch metric math in SNS", payload: () => ({ source: "cloudwatch", sns: snsMetricMath() }), began: ["2015-06-03T17:43:27.123Z"] },
  { name: "EventBridge (time)", payload: () => ({ source: "cloudwatch", eventbridge: eventBridgeAlarm() }), began: ["2019-10-02T17:04:40.000Z"] },
  { name: "Grafana (startsAt with microseconds and an offset)", payload: () => ({ source: "grafana", grafana: grafanaFiring() }), began: ["2021-10-12T07:51:03.157Z", "2021-10-12T07:56:03.157Z"] },
  { name: "Azure Monitor (essentials.firedDateTime, 7 digits)", payload: () => ({ source: "azure-monitor", "azure-monitor": azureMetricResolved() }), began: ["2019-03-22T13:58:24.371Z"] },
  { name: "Google Cloud Monitoring (incident.started_at, epoch seconds)", payload: () => ({ source: "google-cloud-monitoring", "google-cloud-monitoring": googleClosed() }), began: ["2020-01-01T01:01:01.000Z"] },
  {
    name: "Datadog ($DATE, epoch milliseconds)",
    payload: () => datadogDelivery({ ...datadogVariables, DATE: "1406662672000" })["client_payload"] as Record<string, unknown>,
    began: ["2014-07-29T19:37:52.000Z"],
  },
  { name: "a request (no time of its own)", payload: () => ({ target: "workers", delta: 2 }), began: [undefined] },
];

describe("when the condition began, read by each adapter", () => {
  test.each(sources)("$name", ({ payload, began }) => {
    expect(parsePayload(payload(), "client_payload").map((signal) => signal.began)).toEqual(began);
  });
});

describe("a missing or unparsable time is unknown, never a failure", () => {
  const cases: { name: string; payload: () => Record<string, unknown> }[] = [
    { name: "Alertmanager's zero time", payload: () => withAlertmanager({ startsAt: "0001-01-01T00:00:00Z" }) },
    { name: "Alertmanager garbage", payload: () => withAlertmanager({ startsAt: "yesterday, roughly" }) },
    { name: "SNS without StateChangeTime or Timestamp", payload: () => ({ source: "cloudwatch", sns: withoutTimes() }) },
    { name: "EventBridge time as a number", payload: () => ({ source: "cloudwatch", eventbridge: { ...eventBridgeAlarm(), time: 12 } }) },
    { name: "EventBridge without time", payload: () => ({ source: "cloudwatch", eventbridge: { ...eventBridgeAlarm(), time: undefined } }) },
    { name: "Azure firedDateTime garbage", payload: () => withAzure("not a date") },
    { name: "Azure firedDateTime an object", payload: () => withAzure({ at: 1 }) },
    { name: "Google started_at null", payload: () => withGoogle(null) },
    { name: "Datadog $DATE left unfilled", payload: () => datadogDelivery(datadogVariables)["client_payload"] as Record<string, unknown> },
    { name: "Datadog $DATE empty", payload: () => datadogDelivery({ ...datadogVariables, DATE: "" })["client_payload"] as Record<string, unknown> },
  ];
  test.each(cases)("$name", ({ payload }) => {
    const signals = parsePayload(payload(), "client_payload");
    expect(signals.length).toBeGreaterThan(0);
    for (const signal of signals) expect(signal.began).toBeUndefined();
  });

  test("an SNS envelope whose alarm has no StateChangeTime falls back to SNS's Timestamp", () => {
    const alarm = JSON.parse(String(snsSingleMetric()["Message"])) as Record<string, unknown>;
    delete alarm["StateChangeTime"];
    const [signal] = parsePayload({ source: "cloudwatch", sns: { ...snsSingleMetric(), Message: JSON.stringify(alarm) } }, "client_payload");
    expect(signal!.began).toBe("2015-06-03T17:43:27.123Z");
  });
});

function withAlertmanager(fields: Record<string, unknown>): Record<string, unknown> {
  const body = alertmanagerFiring() as { alerts: Record<string, unknown>[] };
  return { source: "alertmanager", alertmanager: { ...body, alerts: body.alerts.map((alert) => ({ ...alert, ...fields })) } };
}

function withoutTimes(): Record<string, unknown> {
  const { Timestamp: _timestamp, ...envelope } = snsNotification(JSON.parse(String(snsSingleMetric()["Message"])));
  const alarm = JSON.parse(String(envelope["Message"])) as Record<string, unknown>;
  delete alarm["StateChangeTime"];
  return { ...envelope, Message: JSON.stringify(alarm) };
}

function withAzure(firedDateTime: unknown): Record<string, unknown> {
  const body = azureMetricResolved() as { data: { essentials: Record<string, unknown> } };
  return { source: "azure-monitor", "azure-monitor": { ...body, data: { ...body.data, essentials: { ...body.data.essentials, firedDateTime } } } };
}

function withGoogle(started: unknown): Record<string, unknown> {
  const body = googleClosed() as { incident: Record<string, unknown> };
  return { source: "google-cloud-monitoring", "google-cloud-monitoring": { ...body, incident: { ...body.incident, started_at: started } } };
}

describe("readInstant", () => {
  test.each([
    ["2026-11-26T10:23:46Z", "seconds", "2026-11-26T10:23:46.000Z"],
    ["2015-06-03T17:43:27.123+0000", "seconds", "2015-06-03T17:43:27.123Z"],
    ["2021-10-12T09:51:03.157076+02:00", "seconds", "2021-10-12T07:51:03.157Z"],
    [1577840461, "seconds", "2020-01-01T01:01:01.000Z"],
    ["1406662672000", "milliseconds", "2014-07-29T19:37:52.000Z"],
    // Unknown: absent, Go's zero time, not a date, a unit mistake, out of range, not text or number.
    [undefined, "seconds", undefined],
    ["0001-01-01T00:00:00Z", "seconds", undefined],
    ["2026-13-45T99:00:00Z", "seconds", undefined],
    ["soon", "seconds", undefined],
    ["1406662672000", "seconds", undefined],
    [Number.NaN, "seconds", undefined],
    [Number.POSITIVE_INFINITY, "milliseconds", undefined],
    [true, "seconds", undefined],
    [{}, "seconds", undefined],
    ["2026-11-26", "seconds", undefined],
  ] as const)("%p (%s) is %p", (value, unit, expected) => {
    expect(readInstant(value, unit)).toBe(expected);
  });
});

describe("stages", () => {
  const path = {
    alertBegan: "2026-12-02T08:00:03Z",
    relayReceived: "2026-12-02T08:00:33.500Z",
    relayDispatched: "2026-12-02T08:00:34Z",
    runStarted: "2026-12-02T08:00:49Z",
    updateBegan: "2026-12-02T08:00:55Z",
    applied: "2026-12-02T08:01:02Z",
    committed: "2026-12-02T08:01:04Z",
  };

  test("the issue's example: 61 s in all, the alert's own wait is the longest stage", () => {
    const timings = measureTimings(path);
    expect(timings.totalSeconds).toBe(61);
    expect(timings.stages.map((stage) => stage.seconds)).toEqual([30.5, 0.5, 15, 6, 7, 2]);
    expect(timings.longest).toEqual({ from: "alertBegan", to: "relayReceived", seconds: 30.5 });
    expect(timingsLine(timings)).toBe(
      "alert began 08:00:03 → relay received 08:00:33 → dispatched 08:00:34 → run started 08:00:49 → update began 08:00:55 → applied 08:01:02 → committed 08:01:04, " +
        "61 s in all (UTC); longest: alert began → relay received 31 s",
    );
  });

  test("points that are missing or garbage are left out, and the stage spans the known neighbours", () => {
    const timings = measureTimings({ ...path, relayReceived: undefined, relayDispatched: "garbage", updateBegan: "" });
    expect(timings.stages.map((stage) => [stage.from, stage.to, stage.seconds])).toEqual([
      ["alertBegan", "runStarted", 46],
      ["runStarted", "applied", 13],
      ["applied", "committed", 2],
    ]);
    expect(timings.totalSeconds).toBe(61);
  });

  test("no alert time: measured from the run's start, and the line says the event carried none", () => {
    const timings = measureTimings({ runStarted: path.runStarted, applied: path.applied });
    expect(timings.totalSeconds).toBe(13);
    expect(timingsLine(timings)).toBe("run started 08:00:49 → applied 08:01:02, 13 s in all (UTC); longest: run started → applied 13 s; the event carried no time its condition began");
  });

  test("a stage that runs backwards is skew, never a negative duration, and never the longest", () => {
    // The monitoring host's clock is 20 s ahead of the relay's.
    const timings = measureTimings({ alertBegan: "2026-12-02T08:00:54Z", relayDispatched: "2026-12-02T08:00:34Z", runStarted: "2026-12-02T08:00:49Z", applied: "2026-12-02T08:01:02Z" });
    expect(timings.stages[0]).toEqual({ from: "alertBegan", to: "relayDispatched", skewSeconds: 20 });
    for (const stage of timings.stages) expect(stage.seconds ?? 0).toBeGreaterThanOrEqual(0);
    expect(timings.longest).toEqual({ from: "relayDispatched", to: "runStarted", seconds: 15 });
    expect(timings.totalSeconds).toBe(8);
    expect(timingsLine(timings)).toContain("clock skew: dispatched stamped 20 s before alert began");
  });

  test("when the whole path runs backwards there is no total", () => {
    const timings = measureTimings({ alertBegan: "2026-12-02T09:00:00Z", runStarted: "2026-12-02T08:00:00Z" });
    expect(timings.totalSeconds).toBeUndefined();
    expect(timings.longest).toBeUndefined();
    expect(timings.stages).toEqual([{ from: "alertBegan", to: "runStarted", skewSeconds: 3600 }]);
  });

  test("nothing known", () => {
    expect(measureTimings({})).toEqual({ instants: {}, stages: [] });
    expect(timingsLine(measureTimings({}))).toBe("timings unknown");
  });
});
