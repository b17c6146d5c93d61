// The Grafana, Azure Monitor, Google Cloud Monitoring and Datadog endpoints, over HTTP on
// loopback and through the Lambda handler, against the GitHub stand-in. Bodies are the vendors'
// documented examples (test/fixtures/payloads/README.md).
import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { MAX_PAYLOAD_BYTES } from "../../src/adapters/registry.js";
import { readRelayConfig } from "../../src/relay/config.js";
import { createLambdaHandler } from "../../src/relay/lambda.js";
import { datadogDelivery } from "../unit/payloads.js";
import { GitHubStandIn } from "./support/github-stand-in.js";
import { GITHUB_TOKEN, post, relayEnv, settleRelays, startRelay, type RunningRelay } from "./support/relay.js";

const GRAFANA_TOKEN = "grafana-token-4d5e6f7a8b9c0d1e";
const GRAFANA_HMAC = "grafana-hmac-secret-0a1b2c3d4e5f";
const AZURE_TOKEN = "azure-query-token-6c7d8e9f0a1b";
const GOOGLE_TOKEN = "google-query-token-2e3f4a5b6c7d";
const GOOGLE_PASSWORD = "google-basic-password-8e9f0a1b";
const DATADOG_TOKEN = "datadog-token-3a4b5c6d7e8f9a0b";
const OWN_SECRETS = [GRAFANA_TOKEN, GRAFANA_HMAC, AZURE_TOKEN, GOOGLE_TOKEN, GOOGLE_PASSWORD, DATADOG_TOKEN];

const payloadFixture = (name: string) => readFileSync(new URL(`../fixtures/payloads/${name}`, import.meta.url), "utf8");
const grafanaBody = payloadFixture("grafana/webhook-firing.docs.json");
const azureBody = payloadFixture("azure-monitor/common-alert-schema-metric-resolved.docs.json");
const googleBody = payloadFixture("google-cloud-monitoring/webhook-1.2-closed.docs.json");
const datadogDefault = payloadFixture("datadog/default-body-template.docs.json");
/** PulumiScale's Datadog template, filled in as Datadog fills it for a triggered monitor. */
const datadogBody = JSON.stringify(
  datadogDelivery({ ALERT_TRANSITION: "Triggered", ALERT_ID: "1234", ALERT_CYCLE_KEY: "99", ALERT_TITLE: "[Triggered] Load is high", ALERT_METRIC: "system.load.1", TAGS: "env:prod", ALERT_SCOPE: "host:web-1", ID: "555" }),
);

const env = {
  RELAY_GRAFANA_TOKEN: GRAFANA_TOKEN,
  RELAY_AZURE_MONITOR_TOKEN: AZURE_TOKEN,
  RELAY_GOOGLE_CLOUD_MONITORING_TOKEN: GOOGLE_TOKEN,
  RELAY_GOOGLE_CLOUD_MONITORING_USERNAME: "google",
  RELAY_GOOGLE_CLOUD_MONITORING_PASSWORD: GOOGLE_PASSWORD,
  RELAY_DATADOG_TOKEN: DATADOG_TOKEN,
};

let github: GitHubStandIn;
const running: RunningRelay[] = [];

beforeAll(async () => {
  github = new GitHubStandIn(GITHUB_TOKEN);
  await github.start();
});

afterEach(async () => {
  for (const relay of running) for (const secret of OWN_SECRETS) expect(relay.logs.join("\n")).not.toContain(secret);
  await settleRelays(running, github);
});

afterAll(() => github.stop());

async function relay(overrides: Record<string, string> = {}, now?: () => Date): Promise<RunningRelay> {
  const started = await startRelay(relayEnv(github.url, { ...env, ...overrides }), now ? { now } : {});
  running.push(started);
  return started;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });
const sent = () => github.dispatches.at(-1)!.body as { event_type: string; client_payload: Record<string, unknown> };

/** One endpoint: where it is, a body, and the credentials it takes and refuses. */
interface Case {
  readonly endpoint: string;
  readonly body: string;
  readonly key: string;
  readonly right: readonly { name: string; query?: string; headers?: Record<string, string> }[];
  readonly wrong: readonly { name: string; query?: string; headers?: Record<string, string> }[];
}

const cases: Case[] = [
  {
    endpoint: "grafana",
    body: grafanaBody,
    key: "grafana",
    right: [{ name: "its bearer token", headers: bearer(GRAFANA_TOKEN) }],
    wrong: [
      { name: "no credentials" },
      { name: "a wrong token", headers: bearer("grafana-token-wrong") },
      { name: "another endpoint's token", headers: bearer(DATADOG_TOKEN) },
    ],
  },
  {
    endpoint: "azure-monitor",
    body: azureBody,
    key: "azure-monitor",
    right: [{ name: "its ?token=", query: `token=${AZURE_TOKEN}` }],
    wrong: [
      { name: "no token" },
      { name: "a wrong ?token=", query: "token=azure-wrong" },
      { name: "the token twice", query: `token=${AZURE_TOKEN}&token=${AZURE_TOKEN}` },
      { name: "the token as a bearer header instead", headers: bearer(AZURE_TOKEN) },
    ],
  },
  {
    endpoint: "google-cloud-monitoring",
    body: googleBody,
    key: "google-cloud-monitoring",
    right: [
      { name: "its ?token= (the token-auth channel)", query: `token=${GOOGLE_TOKEN}` },
      { name: "basic auth (the basic-auth channel)", headers: basic("google", GOOGLE_PASSWORD) },
    ],
    wrong: [
      { name: "no credentials" },
      { name: "a wrong ?token=", query: "token=google-wrong" },
      { name: "a wrong password", headers: basic("google", "nope") },
    ],
  },
  {
    endpoint: "datadog",
    body: datadogBody,
    key: "datadog",
    right: [{ name: "its bearer token", headers: bearer(DATADOG_TOKEN) }],
    wrong: [
      { name: "no credentials" },
      { name: "a wrong token", headers: bearer("datadog-wrong") },
    ],
  },
];

describe.each(cases)("/$endpoint", ({ endpoint, body, key, right, wrong }) => {
  test.each(right)("forwards the documented body nested under one key, with $name", async ({ query, headers }) => {
    const { url, logs } = await relay();
    const response = await post(`${url}/${endpoint}${query ? `?${query}` : ""}`, body, headers ?? {});
    expect(response.status).toBe(200);
    expect(github.dispatches).toHaveLength(1);
    const payload = sent().client_payload;
    expect(payload["source"]).toBe(endpoint);
    expect(Object.keys(payload).length).toBeLessThanOrEqual(10);
    const expected = endpoint === "datadog" ? (JSON.parse(body) as { client_payload: { datadog: unknown } }).client_payload.datadog : JSON.parse(body);
    expect(payload[key]).toEqual(expected);
    // A query-string secret is in no log line, and neither is the query string.
    if (query) expect(logs.join("\n")).not.toContain(query);
  });

  test.each(wrong)("refuses $name with 401 and forwards nothing", async ({ query, headers }) => {
    const { url, relay: core } = await relay();
    const response = await post(`${url}/${endpoint}${query ? `?${query}` : ""}`, body, headers ?? {});
    expect(response.status).toBe(401);
    expect(response.body).not.toContain(query ?? "\u0000");
    expect(github.requests).toHaveLength(0);
    expect(core.metrics.rejected.get({ endpoint, reason: "unauthorized" })).toBe(1);
  });
});

describe("query-string secrets", () => {
  test("never reach logs, metrics or answers, even for a body the action cannot read", async () => {
    const { url, relay: core, logs } = await relay();
    const response = await post(`${url}/azure-monitor?token=${AZURE_TOKEN}`, JSON.stringify({ schemaId: "Microsoft.Insights/activityLogs", data: {} }));
    expect(response.status).toBe(422);
    expect(response.json()).toMatchObject({ error: "invalid_payload", message: expect.stringContaining("turn on the common alert schema") });
    for (const text of [response.body, logs.join("\n"), core.metrics.render()]) expect(text).not.toContain(AZURE_TOKEN);
  });

  test("an endpoint left off answers 404 without echoing the path or its query", async () => {
    const { url } = await relay({ RELAY_AZURE_MONITOR_TOKEN: "" });
    const response = await post(`${url}/azure-monitor?token=${AZURE_TOKEN}`, azureBody);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain(AZURE_TOKEN);
    expect(response.body).not.toContain("azure-monitor");
  });
});

describe("Grafana's HMAC signature", () => {
  const sign = (text: string, secret = GRAFANA_HMAC) => createHmac("sha256", secret).update(text).digest("hex");
  const clock = new Date("2026-12-02T05:00:00Z");
  const seconds = String(clock.getTime() / 1000);

  test.each<[string, Record<string, string>, number]>([
    ["the right signature of the body: 200", { "x-grafana-alerting-signature": sign(grafanaBody) }, 200],
    ["the right signature in upper-case hex: 200", { "x-grafana-alerting-signature": sign(grafanaBody).toUpperCase() }, 200],
    ["no signature: 401", {}, 401],
    ["a signature with another secret: 401", { "x-grafana-alerting-signature": sign(grafanaBody, "other-secret") }, 401],
    ["a signature of another body: 401", { "x-grafana-alerting-signature": sign(`${grafanaBody} `) }, 401],
  ])("without a timestamp header: %s", async (_name, headers, status) => {
    const { url } = await relay({ RELAY_GRAFANA_HMAC_SECRET: GRAFANA_HMAC });
    const response = await post(`${url}/grafana`, grafanaBody, { ...bearer(GRAFANA_TOKEN), ...headers });
    expect(response.status).toBe(status);
    expect(github.dispatches).toHaveLength(status === 200 ? 1 : 0);
    if (status !== 200) expect(response.json()).toMatchObject({ error: "unauthorized" });
  });

  test.each<[string, () => Record<string, string>, number, RegExp | undefined]>([
    ["a fresh timestamp and its signature: 200", () => ({ "x-grafana-alerting-timestamp": seconds, "x-grafana-alerting-signature": sign(`${seconds}:${grafanaBody}`) }), 200, undefined],
    ["no timestamp: 401", () => ({ "x-grafana-alerting-signature": sign(`${seconds}:${grafanaBody}`) }), 401, /x-grafana-alerting-timestamp/],
    [
      "a stale timestamp, correctly signed: 401",
      () => {
        const stale = String(clock.getTime() / 1000 - 301);
        return { "x-grafana-alerting-timestamp": stale, "x-grafana-alerting-signature": sign(`${stale}:${grafanaBody}`) };
      },
      401,
      /more than 5m from the relay's clock/,
    ],
    ["a signature of the body alone: 401", () => ({ "x-grafana-alerting-timestamp": seconds, "x-grafana-alerting-signature": sign(grafanaBody) }), 401, /wrong/],
  ])("with a timestamp header: %s", async (_name, headers, status, message) => {
    const { url } = await relay({ RELAY_GRAFANA_HMAC_SECRET: GRAFANA_HMAC, RELAY_GRAFANA_HMAC_TIMESTAMP_HEADER: "X-Grafana-Alerting-Timestamp" }, () => clock);
    const response = await post(`${url}/grafana`, grafanaBody, { ...bearer(GRAFANA_TOKEN), ...headers() });
    expect(response.status).toBe(status);
    if (message) expect(String(response.json()["message"])).toMatch(message);
  });

  test("the signature alone can be the credential", async () => {
    const { url } = await relay({ RELAY_GRAFANA_TOKEN: "", RELAY_GRAFANA_HMAC_SECRET: GRAFANA_HMAC });
    expect((await post(`${url}/grafana`, grafanaBody, { "x-grafana-alerting-signature": sign(grafanaBody) })).status).toBe(200);
    expect((await post(`${url}/grafana`, grafanaBody)).status).toBe(401);
  });
});

describe("bodies over GitHub's limit are trimmed by rule, and the dispatch says what went", () => {
  test("an Azure log search alert with 200 KB of search results loses them, and only them", async () => {
    const alert = JSON.parse(azureBody) as { data: { essentials: Record<string, unknown>; alertContext: Record<string, unknown> } };
    alert.data.essentials["signalType"] = "Log";
    const rows = Array.from({ length: 2200 }, (_, index) => [`2026-12-02T05:${String(index % 60).padStart(2, "0")}:00Z`, `vm-${index}`, "x".repeat(64)]);
    alert.data.alertContext = { SearchQuery: "Heartbeat", ResultCount: 2200, Threshold: 1000, Operator: "Greater Than", SearchResults: { tables: [{ name: "PrimaryResult", rows }] } };
    const body = JSON.stringify(alert);
    expect(body.length).toBeGreaterThan(200 * 1024);
    const { url } = await relay();
    const response = await post(`${url}/azure-monitor?token=${AZURE_TOKEN}`, body);
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ dropped: ['the log search results (["azure-monitor"].data.alertContext.SearchResults)'] });
    const payload = sent().client_payload as { "azure-monitor": { data: { alertContext: Record<string, unknown> } }; relay: Record<string, unknown> };
    expect(Buffer.byteLength(JSON.stringify(sent()))).toBeLessThan(MAX_PAYLOAD_BYTES);
    expect(payload["azure-monitor"].data.alertContext).toEqual({ SearchQuery: "Heartbeat", ResultCount: 2200, Threshold: 1000, Operator: "Greater Than" });
    expect(payload.relay).toEqual({
      // When the relay received the body and sent the accepted attempt (docs/relay.md, "Timings").
      received: expect.any(String),
      dispatched: expect.any(String),
      dropped: ['the log search results (["azure-monitor"].data.alertContext.SearchResults)'],
      note: 'left out to fit GitHub\'s 64 KB limit: the log search results (["azure-monitor"].data.alertContext.SearchResults)',
    });
  });

  test("a Grafana group with long image URLs loses the rendered message, then the links, then alerts, each said", async () => {
    const message = JSON.parse(grafanaBody) as { alerts: Record<string, unknown>[]; message: string };
    const template = message.alerts[0]!;
    message.alerts = Array.from({ length: 120 }, (_, index) => ({
      ...template,
      fingerprint: `fp${index}`,
      imageURL: `https://grafana.example/render/${"i".repeat(400)}`,
      panelURL: `https://grafana.example/d/abc?viewPanel=${index}&${"p".repeat(200)}`,
    }));
    message.message = "m".repeat(20_000);
    const { url } = await relay();
    const response = await post(`${url}/grafana`, JSON.stringify(message), bearer(GRAFANA_TOKEN));
    expect(response.status).toBe(200);
    const payload = sent().client_payload as { grafana: Record<string, unknown> & { alerts: Record<string, unknown>[] }; relay: Record<string, unknown> };
    expect(Buffer.byteLength(JSON.stringify(sent()))).toBeLessThan(MAX_PAYLOAD_BYTES);
    expect(payload.grafana["message"]).toBeUndefined();
    expect(payload.grafana.alerts.every((alert) => alert["imageURL"] === undefined && alert["panelURL"] === undefined)).toBe(true);
    expect(payload.relay["dropped"]).toEqual([
      "the rendered message and title (grafana.message, grafana.title)",
      "each alert's imageURL, panelURL, dashboardURL, silenceURL, generatorURL (grafana.alerts[].*URL)",
    ]);
    // 120 alerts without their links still fit: none was left out.
    expect(payload.grafana.alerts).toHaveLength(120);
    expect(payload.relay["trimmedAlerts"]).toBeUndefined();
  });
});

describe("Datadog through the relay", () => {
  test("Datadog's default body is refused with 422 naming the template to use", async () => {
    const { url } = await relay();
    const response = await post(`${url}/datadog`, datadogDefault, bearer(DATADOG_TOKEN));
    expect(response.status).toBe(422);
    expect(String(response.json()["message"])).toContain("set the webhook's payload to PulumiScale's template (docs/events.md");
    expect(github.requests).toHaveLength(0);
  });
});

describe("the same through the Lambda handler", () => {
  const event = (path: string, body: string, headers: Record<string, string>, rawQueryString = "") => ({
    version: "2.0",
    rawPath: path,
    rawQueryString,
    headers: { "content-type": "application/json", ...headers },
    requestContext: { http: { method: "POST", path } },
    body,
    isBase64Encoded: false,
  });

  test.each<[string, ReturnType<typeof event>, number]>([
    ["Grafana with its token", event("/grafana", grafanaBody, bearer(GRAFANA_TOKEN)), 200],
    ["Grafana without", event("/grafana", grafanaBody, {}), 401],
    ["Azure Monitor with its ?token=", event("/azure-monitor", azureBody, {}, `token=${AZURE_TOKEN}`), 200],
    ["Azure Monitor with a wrong one", event("/azure-monitor", azureBody, {}, "token=nope"), 401],
    ["Google Cloud Monitoring with basic auth", event("/google-cloud-monitoring", googleBody, basic("google", GOOGLE_PASSWORD)), 200],
    ["Google Cloud Monitoring without", event("/google-cloud-monitoring", googleBody, {}), 401],
    ["Datadog with its token", event("/datadog", datadogBody, bearer(DATADOG_TOKEN)), 200],
    ["Datadog's default body", event("/datadog", datadogDefault, bearer(DATADOG_TOKEN)), 422],
  ])("%s", async (_name, lambdaEvent, status) => {
    const started = await relay();
    const handler = createLambdaHandler(() => started.relay);
    const result = (await handler(lambdaEvent)) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(status);
    expect(github.dispatches).toHaveLength(status === 200 ? 1 : 0);
    expect(result.body).not.toContain(AZURE_TOKEN);
  });

  test("an API Gateway REST (payload 1.0) event carries the query token in its parameter map", async () => {
    const started = await relay();
    const handler = createLambdaHandler(() => started.relay);
    const result = (await handler({ httpMethod: "POST", path: "/prod/azure-monitor", queryStringParameters: { token: AZURE_TOKEN }, headers: {}, body: azureBody })) as { statusCode: number };
    expect(result.statusCode).toBe(200);
    expect(started.logs.join("\n")).not.toContain(AZURE_TOKEN);
  });
});

describe("settings of the four endpoints", () => {
  const base = { RELAY_GITHUB_TOKEN: "t", RELAY_GITHUB_REPOSITORY: "acme/infra" };

  test("each endpoint is off until its own secret is set, and each alone is enough to start", () => {
    expect(readRelayConfig({ ...base, RELAY_DATADOG_TOKEN: "d" })).toMatchObject({ datadog: { bearerToken: "d" } });
    expect(readRelayConfig({ ...base, RELAY_AZURE_MONITOR_TOKEN: "a" })).toMatchObject({ azureMonitor: { queryToken: "a" } });
    const config = readRelayConfig({ ...base, RELAY_GOOGLE_CLOUD_MONITORING_USERNAME: "g", RELAY_GOOGLE_CLOUD_MONITORING_PASSWORD: "p" });
    expect(config).toMatchObject({ googleCloudMonitoring: { basic: { username: "g", password: "p" } } });
    expect(config.grafana).toBeUndefined();
    expect(readRelayConfig({ ...base, RELAY_GRAFANA_HMAC_SECRET: "h", RELAY_GRAFANA_HMAC_TIMESTAMP_HEADER: "X-Grafana-Alerting-Timestamp" }).grafana).toEqual({
      hmac: { secret: "h", signatureHeader: "x-grafana-alerting-signature", timestampHeader: "x-grafana-alerting-timestamp", maxAgeMs: 300_000 },
    });
  });

  test.each<[string, Record<string, string>, RegExp]>([
    ["half of Grafana's basic auth", { RELAY_GRAFANA_USERNAME: "g" }, /RELAY_GRAFANA_PASSWORD: basic auth needs both RELAY_GRAFANA_USERNAME and RELAY_GRAFANA_PASSWORD/],
    ["half of Google's basic auth", { RELAY_GOOGLE_CLOUD_MONITORING_PASSWORD: "p" }, /RELAY_GOOGLE_CLOUD_MONITORING_USERNAME: basic auth needs both/],
    ["a signature header that is no header name", { RELAY_GRAFANA_HMAC_SECRET: "h", RELAY_GRAFANA_HMAC_HEADER: "X Sig" }, /RELAY_GRAFANA_HMAC_HEADER: expected an HTTP header name, got text of 5 characters \(not shown\)/],
    ["a freshness window without a unit", { RELAY_GRAFANA_HMAC_SECRET: "h", RELAY_GRAFANA_HMAC_MAX_AGE: "300" }, /RELAY_GRAFANA_HMAC_MAX_AGE: expected a duration such as 15m, 1h or 1d, from 1s to 1d, got text of 3 characters \(not shown\)/],
  ])("%s is refused with a message naming the variable", (_name, settings, message) => {
    expect(() => readRelayConfig({ ...base, RELAY_DATADOG_TOKEN: "d", ...settings })).toThrow(message);
  });
});
