import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { GitHubStandIn } from "./support/github-stand-in.js";
import {
  ALERTMANAGER_TOKEN,
  EVENTBRIDGE_KEY,
  GITHUB_TOKEN,
  SHARED_SECRET,
  fixture,
  post,
  relayEnv,
  settleRelays,
  startRelay,
  type RunningRelay,
} from "./support/relay.js";

/** When the relay received the webhook and sent the accepted attempt (see docs/relay.md, "Timings"). */
const relayInstants = { received: expect.any(String), dispatched: expect.any(String) };

const firing = fixture("alertmanager-0.25.0-firing.raw.json");
const eventbridge = fixture("eventbridge-state-change-for-a-single-metric-alarm.json");

let github: GitHubStandIn;
const running: RunningRelay[] = [];

beforeAll(async () => {
  github = new GitHubStandIn(GITHUB_TOKEN);
  await github.start();
});

afterEach(() => settleRelays(running, github));

afterAll(() => github.stop());

async function relay(overrides: Record<string, string> = {}): Promise<RunningRelay> {
  const started = await startRelay(relayEnv(github.url, overrides));
  running.push(started);
  return started;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });

describe("Alertmanager endpoint", () => {
  test("forwards the webhook nested under one key, valid against GitHub's API description", async () => {
    const { url } = await relay();
    const response = await post(`${url}/alertmanager`, firing, bearer(ALERTMANAGER_TOKEN));
    expect(response.status).toBe(200);
    expect(github.dispatches).toHaveLength(1);
    const dispatch = github.dispatches[0]!;
    expect(dispatch.path).toBe("/repos/acme/infra/dispatches");
    expect(dispatch.body).toEqual({ event_type: "pulumiscale", client_payload: { source: "alertmanager", alertmanager: JSON.parse(firing), relay: relayInstants } });
  });

  test("accepts basic auth", async () => {
    const { url } = await relay();
    const response = await post(`${url}/alertmanager`, firing, basic("alertmanager", "basic-password-5a6b7c8d"));
    expect(response.status).toBe(200);
    expect(github.dispatches).toHaveLength(1);
  });

  test.each([
    ["no credentials", {}],
    ["a wrong token", bearer("am-secret-wrong")],
    ["the token of another endpoint", bearer(SHARED_SECRET)],
    ["a wrong password", basic("alertmanager", "nope")],
    ["a wrong user", basic("someone", "basic-password-5a6b7c8d")],
  ])("refuses %s with 401 and forwards nothing", async (_, headers) => {
    const { url, relay: core } = await relay();
    const response = await post(`${url}/alertmanager`, firing, headers);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect(github.requests).toHaveLength(0);
    expect(core.metrics.rejected.get({ endpoint: "alertmanager", reason: "unauthorized" })).toBe(1);
  });

  test("answers 422 for a body the action could not read, and GitHub never sees it", async () => {
    const { url } = await relay();
    const body = JSON.parse(firing) as Record<string, unknown>;
    body["version"] = "3";
    const response = await post(`${url}/alertmanager`, JSON.stringify(body), bearer(ALERTMANAGER_TOKEN));
    expect(response.status).toBe(422);
    expect(response.json()).toMatchObject({ error: "invalid_payload", message: expect.stringContaining("client_payload.alertmanager.version") });
    expect(github.requests).toHaveLength(0);
  });

  test("leaves out alerts to fit GitHub's 64 KB limit and says so in the payload", async () => {
    const { url } = await relay();
    const body = JSON.parse(firing) as { alerts: Record<string, unknown>[] } & Record<string, unknown>;
    const [template] = body.alerts;
    // 150 firing alerts of about 1 KB each, then one resolved alert, which is the first to go.
    body.alerts = Array.from({ length: 150 }, (_, index) => ({
      ...template,
      labels: { alertname: "HighCPU", instance: `node-${index}`, stack: "prod" },
      annotations: { summary: "x".repeat(800) },
      fingerprint: index.toString(16).padStart(16, "0"),
    }));
    body.alerts.unshift({ ...template, status: "resolved", fingerprint: "ffffffffffffffff" });
    const response = await post(`${url}/alertmanager`, JSON.stringify(body), bearer(ALERTMANAGER_TOKEN));

    expect(response.status).toBe(200);
    type Sent = { client_payload: { alertmanager: { alerts: Record<string, unknown>[]; truncatedAlerts: number }; relay: unknown } };
    const sent = github.dispatches[0]!.body as Sent;
    const kept = sent.client_payload.alertmanager.alerts;
    const trimmed = 151 - kept.length;
    expect(trimmed).toBeGreaterThan(0);
    expect(kept.every((alert) => alert["status"] === "firing")).toBe(true);
    expect(kept[0]!["fingerprint"]).toBe("0000000000000000");
    expect(sent.client_payload.alertmanager.truncatedAlerts).toBe(trimmed);
    expect(sent.client_payload.relay).toEqual({ ...relayInstants, trimmedAlerts: trimmed, note: expect.stringContaining("64 KB") });
    expect(Buffer.byteLength(JSON.stringify(sent))).toBeLessThan(64 * 1024);
    expect(response.json()).toMatchObject({ trimmedAlerts: trimmed });
  });

  test("answers 413 when not even one alert fits", async () => {
    const { url } = await relay();
    const body = JSON.parse(firing) as { alerts: Record<string, unknown>[] };
    body.alerts = [{ ...body.alerts[0], annotations: { summary: "x".repeat(70_000) } }];
    const response = await post(`${url}/alertmanager`, JSON.stringify(body), bearer(ALERTMANAGER_TOKEN));
    expect(response.status).toBe(413);
    expect(github.requests).toHaveLength(0);
  });
});

describe("routing", () => {
  const routes = JSON.stringify([
    { match: { stack: "staging" }, repository: "acme/staging-infra", stack: "acme/web/staging" },
    { match: { stack: "prod", pulumi_project: "web" }, repository: "acme/web-infra", stack: "acme/web/prod", eventType: "scale-web" },
    { match: { alarm_name: "ServerCpu*" }, repository: "acme/servers" },
    { match: { target: "workers" }, repository: "acme/workers" },
  ]);

  test("an Alertmanager group goes where its common labels match, with the route's stack", async () => {
    const { url } = await relay({ RELAY_ROUTES: routes });
    expect((await post(`${url}/alertmanager`, firing, bearer(ALERTMANAGER_TOKEN))).status).toBe(200);
    const dispatch = github.dispatches[0]!;
    expect(dispatch.path).toBe("/repos/acme/web-infra/dispatches");
    expect(dispatch.body).toMatchObject({ event_type: "scale-web", client_payload: { stack: "acme/web/prod" } });
  });

  test("an EventBridge alarm matches on its name, with wildcards", async () => {
    const { url } = await relay({ RELAY_ROUTES: routes });
    expect((await post(`${url}/eventbridge`, eventbridge, { "x-api-key": EVENTBRIDGE_KEY })).status).toBe(200);
    expect(github.dispatches[0]!.path).toBe("/repos/acme/servers/dispatches");
  });

  test("a delta request matches on its target; anything else goes to the default repository", async () => {
    const { url } = await relay({ RELAY_ROUTES: routes });
    expect((await post(`${url}/dispatch`, '{"target":"workers","delta":2}', bearer(SHARED_SECRET))).status).toBe(200);
    expect((await post(`${url}/dispatch`, '{"target":"web","count":3}', bearer(SHARED_SECRET))).status).toBe(200);
    expect(github.dispatches.map((dispatch) => dispatch.path)).toEqual(["/repos/acme/workers/dispatches", "/repos/acme/infra/dispatches"]);
  });

  test("without a default repository, an event no route matches is refused with 422", async () => {
    const { url } = await relay({ RELAY_ROUTES: routes, RELAY_GITHUB_REPOSITORY: "" });
    const response = await post(`${url}/dispatch`, '{"target":"web","count":3}', bearer(SHARED_SECRET));
    expect(response.status).toBe(422);
    expect(response.json()).toMatchObject({ error: "no_route" });
    expect(github.requests).toHaveLength(0);
  });
});

describe("EventBridge and generic endpoints", () => {
  test("EventBridge events need the API key header", async () => {
    const { url } = await relay();
    expect((await post(`${url}/eventbridge`, eventbridge, { "x-api-key": "wrong" })).status).toBe(401);
    expect((await post(`${url}/eventbridge`, eventbridge, bearer(EVENTBRIDGE_KEY))).status).toBe(401);
    expect(github.requests).toHaveLength(0);
    expect((await post(`${url}/eventbridge`, eventbridge, { "x-api-key": EVENTBRIDGE_KEY })).status).toBe(200);
    expect(github.dispatches[0]!.body).toEqual({
      event_type: "pulumiscale",
      client_payload: { source: "cloudwatch", eventbridge: JSON.parse(eventbridge), relay: relayInstants },
    });
  });

  test("the API key header name is configurable", async () => {
    const { url } = await relay({ RELAY_EVENTBRIDGE_API_KEY_HEADER: "X-PulumiScale-Key" });
    expect((await post(`${url}/eventbridge`, eventbridge, { "x-pulumiscale-key": EVENTBRIDGE_KEY })).status).toBe(200);
  });

  test("delta and count requests are forwarded as they are; other sources are refused", async () => {
    const { url } = await relay({ RELAY_STACK: "acme/web/prod" });
    expect((await post(`${url}/dispatch`, '{"source":"delta","target":"workers","delta":-1,"reason":"night"}', bearer(SHARED_SECRET))).status).toBe(200);
    expect(github.dispatches[0]!.body).toEqual({
      event_type: "pulumiscale",
      client_payload: { source: "delta", target: "workers", delta: -1, reason: "night", stack: "acme/web/prod", relay: relayInstants },
    });
    const alert = await post(`${url}/dispatch`, JSON.stringify({ source: "alertmanager", alertmanager: JSON.parse(firing) }), bearer(SHARED_SECRET));
    expect(alert.status).toBe(422);
    const tooMany = await post(`${url}/dispatch`, '{"target":"workers","delta":2000000}', bearer(SHARED_SECRET));
    expect(tooMany.status).toBe(422);
    expect(github.dispatches).toHaveLength(1);
  });

  test("a disabled endpoint does not exist", async () => {
    const { url } = await relay({ RELAY_SHARED_SECRET: "" });
    expect((await post(`${url}/dispatch`, '{"target":"workers","delta":1}', bearer(SHARED_SECRET))).status).toBe(404);
  });

  test("wrong methods, unknown paths and bad JSON are refused without a dispatch", async () => {
    const { url } = await relay();
    expect((await fetch(`${url}/alertmanager`)).status).toBe(405);
    expect((await post(`${url}/nowhere`, "{}")).status).toBe(404);
    expect((await post(`${url}/dispatch`, "{not json", bearer(SHARED_SECRET))).status).toBe(400);
    expect(github.requests).toHaveLength(0);
  });
});

describe("talking to GitHub", () => {
  test("retries 503 and answers 2xx only once GitHub accepted the dispatch", async () => {
    const { url } = await relay();
    github.dispatchAnswers.push({ status: 503 }, { status: 503 });
    const response = await post(`${url}/alertmanager`, firing, bearer(ALERTMANAGER_TOKEN));
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ attempts: 3 });
    expect(github.requests.map((request) => request.status)).toEqual([503, 503, 204]);
    expect(github.dispatches).toHaveLength(1);
  });

  test("honours Retry-After on 429 and on a secondary rate limit", async () => {
    const sleeps: number[] = [];
    const started = await startRelay(relayEnv(github.url), {
      sleep: async (ms) => void sleeps.push(ms),
    });
    running.push(started);
    github.dispatchAnswers.push(
      { status: 429, headers: { "retry-after": "2" }, body: { message: "Too many requests" } },
      { status: 403, headers: { "retry-after": "3" }, body: { message: "You have exceeded a secondary rate limit." } },
    );
    const response = await post(`${started.url}/dispatch`, '{"target":"workers","delta":1}', bearer(SHARED_SECRET));
    expect(response.status).toBe(200);
    expect(sleeps).toEqual([2000, 3000]);
    expect(github.dispatches).toHaveLength(1);
  });

  test("answers 503 with Retry-After when GitHub asks for a longer wait than the deadline allows", async () => {
    const { url } = await relay({ RELAY_GITHUB_TIMEOUT_MS: "5000" });
    github.dispatchAnswers.push({ status: 403, headers: { "retry-after": "60" }, body: { message: "You have exceeded a secondary rate limit." } });
    const response = await post(`${url}/dispatch`, '{"target":"workers","delta":1}', bearer(SHARED_SECRET));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("60");
    expect(github.requests).toHaveLength(1);
    expect(github.dispatches).toHaveLength(0);
  });

  test("gives up after the configured attempts with 503, so the sender retries later", async () => {
    const { url, relay: core } = await relay({ RELAY_GITHUB_MAX_ATTEMPTS: "3" });
    github.dispatchAnswers.push({ status: 502 }, { status: 502 }, { status: 502 });
    const response = await post(`${url}/alertmanager`, firing, bearer(ALERTMANAGER_TOKEN));
    expect(response.status).toBe(503);
    expect(github.requests).toHaveLength(3);
    expect(core.metrics.rejected.get({ endpoint: "alertmanager", reason: "github_unavailable" })).toBe(1);
  });

  test("GitHub's 422 becomes 422 (never retried); a bad token becomes 502 with what to check", async () => {
    const { url } = await relay();
    github.dispatchAnswers.push({ status: 422, body: { message: "Invalid request", documentation_url: "https://docs.github.com" } });
    const rejected = await post(`${url}/alertmanager`, firing, bearer(ALERTMANAGER_TOKEN));
    expect(rejected.status).toBe(422);
    expect(github.requests).toHaveLength(1);

    const { url: badTokenUrl, logs } = await relay({ RELAY_GITHUB_TOKEN: "ghp_notTheRightToken0000000000000000000" });
    const misconfigured = await post(`${badTokenUrl}/alertmanager`, firing, bearer(ALERTMANAGER_TOKEN));
    expect(misconfigured.status).toBe(502);
    expect(misconfigured.json()["message"]).toContain("Contents: write");
    expect(logs.join("\n")).not.toContain("ghp_notTheRightToken");
  });

  test("a GitHub that cannot be reached is a 503", async () => {
    const { url } = await relay({ RELAY_GITHUB_API_URL: "http://127.0.0.1:9", RELAY_GITHUB_MAX_ATTEMPTS: "2" });
    const response = await post(`${url}/alertmanager`, firing, bearer(ALERTMANAGER_TOKEN));
    expect(response.status).toBe(503);
    expect(response.json()["message"]).toContain("could not be reached");
  });
});

describe("health and metrics", () => {
  test("health answers without calling GitHub; metrics count received, forwarded, rejected and GitHub latency", async () => {
    const { url } = await relay();
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
    github.dispatchAnswers.push({ status: 500 });
    await post(`${url}/alertmanager`, firing, bearer(ALERTMANAGER_TOKEN));
    await post(`${url}/alertmanager`, firing, bearer("wrong"));
    await post(`${url}/eventbridge`, eventbridge, { "x-api-key": EVENTBRIDGE_KEY });

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('pulumiscale_relay_requests_received_total{endpoint="alertmanager"} 2');
    expect(metrics).toContain('pulumiscale_relay_requests_received_total{endpoint="eventbridge"} 1');
    expect(metrics).toContain('pulumiscale_relay_dispatches_forwarded_total{endpoint="alertmanager"} 1');
    expect(metrics).toContain('pulumiscale_relay_requests_rejected_total{endpoint="alertmanager",reason="unauthorized"} 1');
    expect(metrics).toContain('pulumiscale_relay_github_request_duration_seconds_count{outcome="2xx"} 2');
    expect(metrics).toContain('pulumiscale_relay_github_request_duration_seconds_count{outcome="5xx"} 1');
    expect(metrics).toContain("# TYPE pulumiscale_relay_github_request_duration_seconds histogram");
  });
});
