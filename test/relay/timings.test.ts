// The relay's part of a scaling's timings: `client_payload.relay.received` and `.dispatched`,
// nested under the one `relay` key, for every endpoint's documented body (and bodies that must
// be trimmed to fit), so the dispatch keeps at most 10 top-level keys and fits 64 KiB; and the
// /metrics histogram of alert began → dispatched, over HTTP against the GitHub stand-in.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { MAX_PAYLOAD_BYTES } from "../../src/adapters/registry.js";
import { fromAzureMonitor } from "../../src/relay/endpoints/azure-monitor.js";
import { fromDatadog } from "../../src/relay/endpoints/datadog.js";
import { fromGoogleCloudMonitoring } from "../../src/relay/endpoints/google-cloud-monitoring.js";
import { fromGrafana } from "../../src/relay/endpoints/grafana.js";
import { endpoints } from "../../src/relay/endpoints/registry.js";
import {
  fromAlertmanager,
  fromEventBridge,
  fromGenericRequest,
  fromSnsNotification,
  MAX_CLIENT_PAYLOAD_KEYS,
  prepareDispatch,
  stampDispatched,
  type InboundPayload,
} from "../../src/relay/payload.js";
import { GitHubStandIn } from "./support/github-stand-in.js";
import { ALERTMANAGER_TOKEN, GITHUB_TOKEN, post, relayEnv, settleRelays, startRelay, type RunningRelay } from "./support/relay.js";

const payloadFixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/payloads/${name}`, import.meta.url), "utf8"));
const snsEnvelope = () => (payloadFixture("cloudwatch/lambda-sns-cloudwatch-alarm-single-metric.aws-lambda-go.json") as { Records: { Sns: Record<string, unknown> }[] }).Records[0]!.Sns;
const datadogBody = (): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL("../../examples/alerts/datadog/payload-template.json", import.meta.url), "utf8").replace(
      /\$([A-Z_]+)/g,
      (_written, name: string) =>
        ({ ALERT_TRANSITION: "Triggered", ALERT_ID: "1234", ALERT_TITLE: "[Triggered] Load is high", TAGS: "env:prod", ID: "555", DATE: "1406662672000" })[name] ?? "",
    ),
  );

/** Alertmanager-shaped bodies with `count` copies of their first alert, each with a long annotation. */
function inflated(body: Record<string, unknown>, count: number): Record<string, unknown> {
  const [first] = body["alerts"] as Record<string, unknown>[];
  const alerts = Array.from({ length: count }, (_, index) => ({
    ...first,
    fingerprint: index.toString(16).padStart(16, "0"),
    annotations: { ...(first!["annotations"] as object), description: "x".repeat(900) },
  }));
  return { ...body, alerts };
}

const received = new Date("2026-12-02T08:00:33.500Z");
const route = { match: {}, repository: "acme/infra", eventType: "pulumiscale", stack: "acme/web/prod" };

/** Every endpoint, its documented body, and when that body says its condition began. */
const cases: { endpoint: string; name: string; inbound: () => InboundPayload; began: string | undefined }[] = [
  { endpoint: "alertmanager", name: "Alertmanager 0.25.0 firing", inbound: () => fromAlertmanager(payloadFixture("alertmanager/alertmanager-0.25.0-firing.raw.json")), began: "2026-11-26T10:23:46.000Z" },
  { endpoint: "alertmanager", name: "Alertmanager, 200 alerts trimmed to fit", inbound: () => fromAlertmanager(inflated(payloadFixture("alertmanager/alertmanager-0.25.0-firing.raw.json"), 200)), began: "2026-11-26T10:23:46.000Z" },
  { endpoint: "sns", name: "CloudWatch alarm in SNS", inbound: () => fromSnsNotification(snsEnvelope()), began: "2015-06-03T17:43:27.123Z" },
  { endpoint: "eventbridge", name: "EventBridge alarm state change", inbound: () => fromEventBridge(payloadFixture("cloudwatch/eventbridge-state-change-for-a-single-metric-alarm.json")), began: "2019-10-02T17:04:40.000Z" },
  { endpoint: "dispatch", name: "a delta request", inbound: () => fromGenericRequest({ target: "workers", delta: 2, reason: "launch" }), began: undefined },
  { endpoint: "grafana", name: "Grafana webhook", inbound: () => fromGrafana(payloadFixture("grafana/webhook-firing.docs.json")), began: "2021-10-12T07:51:03.157Z" },
  { endpoint: "grafana", name: "Grafana, 200 alerts trimmed to fit", inbound: () => fromGrafana(inflated(payloadFixture("grafana/webhook-firing.docs.json"), 200)), began: "2021-10-12T07:51:03.157Z" },
  { endpoint: "azure-monitor", name: "Azure Monitor common alert schema", inbound: () => fromAzureMonitor(payloadFixture("azure-monitor/common-alert-schema-metric-resolved.docs.json")), began: "2019-03-22T13:58:24.371Z" },
  { endpoint: "google-cloud-monitoring", name: "Google Cloud Monitoring 1.2", inbound: () => fromGoogleCloudMonitoring(payloadFixture("google-cloud-monitoring/webhook-1.2-closed.docs.json")), began: "2020-01-01T01:01:01.000Z" },
  { endpoint: "datadog", name: "Datadog template", inbound: () => fromDatadog(datadogBody()), began: "2014-07-29T19:37:52.000Z" },
];

const requestBytes = (clientPayload: Record<string, unknown>) => Buffer.byteLength(JSON.stringify({ event_type: route.eventType, client_payload: clientPayload }));

describe("relay instants in the dispatch", () => {
  test("every endpoint is covered", () => {
    expect([...new Set(cases.map((c) => c.endpoint))].sort()).toEqual(endpoints.map((endpoint) => endpoint.name).sort());
  });

  test.each(cases)("$name: under one key, at most 10 keys, under 64 KiB, with the time the condition began", ({ inbound, began }) => {
    const prepared = prepareDispatch(inbound(), route, received);
    const relay = prepared.clientPayload["relay"] as Record<string, unknown>;
    expect(relay["received"]).toBe("2026-12-02T08:00:33.500Z");
    expect(relay["dispatched"]).toBe("2026-12-02T08:00:33.500Z");
    expect(prepared.began).toBe(began);
    // An attempt sent later says so, and the dispatch keeps its size to the byte.
    const attempt = stampDispatched(prepared.clientPayload, new Date("2026-12-02T08:00:41.250Z"));
    expect((attempt["relay"] as Record<string, unknown>)["dispatched"]).toBe("2026-12-02T08:00:41.250Z");
    expect((attempt["relay"] as Record<string, unknown>)["received"]).toBe("2026-12-02T08:00:33.500Z");
    for (const payload of [prepared.clientPayload, attempt]) {
      expect(Object.keys(payload).length).toBeLessThanOrEqual(MAX_CLIENT_PAYLOAD_KEYS);
      expect(requestBytes(payload)).toBeLessThan(MAX_PAYLOAD_BYTES);
    }
    expect(requestBytes(attempt)).toBe(requestBytes(prepared.clientPayload));
  });

  test("a trimmed dispatch keeps the instants beside the trimming note", () => {
    const prepared = prepareDispatch(cases[1]!.inbound(), route, received);
    expect(prepared.trimmedAlerts).toBeGreaterThan(0);
    expect(prepared.clientPayload["relay"]).toEqual({
      received: "2026-12-02T08:00:33.500Z",
      dispatched: "2026-12-02T08:00:33.500Z",
      trimmedAlerts: prepared.trimmedAlerts,
      note: expect.stringContaining("64 KB"),
    });
  });

  test("a sender's own relay key is replaced, not trusted", () => {
    const prepared = prepareDispatch(fromGenericRequest({ target: "workers", delta: 1, relay: { received: "2000-01-01T00:00:00.000Z" } }), route, received);
    expect(prepared.clientPayload["relay"]).toEqual({ received: "2026-12-02T08:00:33.500Z", dispatched: "2026-12-02T08:00:33.500Z" });
  });
});

describe("the alert began → dispatched histogram", () => {
  let github: GitHubStandIn;
  const running: RunningRelay[] = [];
  beforeAll(async () => {
    github = new GitHubStandIn(GITHUB_TOKEN);
    await github.start();
  });
  afterEach(() => settleRelays(running, github));
  afterAll(() => github.stop());

  test("observes each accepted dispatch of an alert; a request has no alert time, skew is not a negative duration", async () => {
    const started = await startRelay(relayEnv(github.url));
    running.push(started);
    const firing = payloadFixture("alertmanager/alertmanager-0.25.0-firing.raw.json");
    const ahead = { ...firing, alerts: (firing["alerts"] as Record<string, unknown>[]).map((alert) => ({ ...alert, startsAt: "2099-01-01T00:00:00Z" })) };
    const headers = { authorization: `Bearer ${ALERTMANAGER_TOKEN}` };
    expect((await post(`${started.url}/alertmanager`, JSON.stringify(firing), headers)).status).toBe(200);
    expect((await post(`${started.url}/alertmanager`, JSON.stringify(ahead), headers)).status).toBe(200);
    const sent = github.dispatches.map((d) => (d.body as { client_payload: { relay: { received: string; dispatched: string } } }).client_payload.relay);
    expect(sent).toHaveLength(2);
    for (const relay of sent) expect(Date.parse(relay.dispatched)).toBeGreaterThanOrEqual(Date.parse(relay.received));

    const metrics = await (await fetch(`${started.url}/metrics`)).text();
    expect(metrics).toContain("# TYPE pulumiscale_relay_alert_to_dispatch_seconds histogram");
    // The fixture's alert began on 2026-11-26: more than the largest bucket, once. The alert stamped in 2099 is skew.
    expect(metrics).toContain('pulumiscale_relay_alert_to_dispatch_seconds_count{endpoint="alertmanager"} 1');
    expect(metrics).toContain('pulumiscale_relay_alert_to_dispatch_seconds_bucket{endpoint="alertmanager",le="1800"} 0');
    expect(metrics).toContain('pulumiscale_relay_alert_to_dispatch_seconds_bucket{endpoint="alertmanager",le="+Inf"} 1');
  });
});
