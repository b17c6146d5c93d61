// One chain per new alert source: the vendor's documented body → the relay (HTTP on loopback)
// → the GitHub stand-in → the dispatch's client_payload as the runner hands it to dist/index.js
// → a targeted update of the fixture pool. Bodies: test/fixtures/payloads/README.md.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createFleetStack, repoRoot, runAction, type FleetStack } from "../support/fleet.js";
import { GitHubStandIn } from "../relay/support/github-stand-in.js";
import { datadogDelivery } from "../unit/payloads.js";
import { GITHUB_TOKEN, post, relayEnv, startRelay, type RunningRelay } from "../relay/support/relay.js";

const GRAFANA_HMAC = "grafana-hmac-secret-chain-1a2b3c";
const AZURE_TOKEN = "azure-query-token-chain-4d5e6f";
const GOOGLE_TOKEN = "google-query-token-chain-7a8b9c";
const DATADOG_TOKEN = "datadog-token-chain-0d1e2f";

const fixture = (...parts: string[]) => readFileSync(path.join(repoRoot, "test", "fixtures", "payloads", ...parts), "utf8");

/** The Azure docs' sample alert, fired, naming its target and step in its custom properties. */
function azureFired(): string {
  const alert = JSON.parse(fixture("azure-monitor", "common-alert-schema-metric-resolved.docs.json"));
  alert.data.essentials.monitorCondition = "Fired";
  delete alert.data.essentials.resolvedDateTime;
  alert.data.alertContext.condition.allOf[0].metricValue = 31.5;
  alert.data.customProperties = { pulumiscale_target: "workers", pulumiscale_adjust: "+1" };
  return JSON.stringify(alert);
}

/** The Cloud Monitoring docs' example incident, opened. */
function googleOpened(): string {
  const body = JSON.parse(fixture("google-cloud-monitoring", "webhook-1.2-closed.docs.json"));
  Object.assign(body.incident, { state: "open", ended_at: null, observed_value: "0.95" });
  return JSON.stringify(body);
}

/** PulumiScale's Datadog template, filled in as Datadog fills it for a triggered monitor. */
function datadogTriggered(): string {
  const values: Record<string, string> = {
    ALERT_TRANSITION: "Triggered",
    ALERT_ID: "1234",
    ALERT_CYCLE_KEY: "7051744127165707294",
    ALERT_TITLE: "[Triggered on {service:workers}] Worker load is high",
    ALERT_METRIC: "system.load.1",
    TAGS: "service:workers",
    ALERT_SCOPE: "service:workers",
    ID: "7051744127165707295",
    DATE: "1764662400000",
  };
  return JSON.stringify(datadogDelivery(values));
}

const rules = [
  // Target tracking from refId B of the Grafana alert: ceil(3 × 44.239… / 22) = 7.
  { match: { source: "grafana", name: "High memory usage" }, target: "workers", firing: { targetValue: 22 }, valueFrom: "B" },
  { match: { source: "google-cloud-monitoring", name: "Monitor-Project-Cluster" }, target: "workers", firing: "+1" },
  { match: { source: "datadog", name: "Worker load is high" }, target: "workers", firing: "+2" },
];

describe("vendor body → relay → GitHub → the action → the targeted update", () => {
  let fleet: FleetStack;
  let github: GitHubStandIn;
  let relay: RunningRelay;

  beforeAll(async () => {
    fleet = createFleetStack({ workerCount: 3, bounds: { max: 20 }, policy: { rules } });
    github = new GitHubStandIn(GITHUB_TOKEN);
    await github.start();
    relay = await startRelay(
      relayEnv(github.url, {
        RELAY_GRAFANA_HMAC_SECRET: GRAFANA_HMAC,
        RELAY_AZURE_MONITOR_TOKEN: AZURE_TOKEN,
        RELAY_GOOGLE_CLOUD_MONITORING_TOKEN: GOOGLE_TOKEN,
        RELAY_DATADOG_TOKEN: DATADOG_TOKEN,
      }),
    );
  });

  afterAll(async () => {
    await relay?.stop();
    await github?.stop();
  });

  /** Posts the body to the relay, takes the one dispatch GitHub got, and runs the action on it. */
  async function chain(url: string, body: string, headers: Record<string, string> = {}) {
    github.dispatches.length = 0;
    const answer = await post(`${relay.url}${url}`, body, headers);
    expect(answer.status).toBe(200);
    expect(github.invalid).toEqual([]);
    expect(github.dispatches).toHaveLength(1);
    const dispatch = github.dispatches[0]!.body as { event_type: string; client_payload: unknown };
    const run = runAction(fleet, { eventName: "repository_dispatch", event: { action: dispatch.event_type, client_payload: dispatch.client_payload } });
    // Every stage is timed, from the source's own time through the relay to the update.
    const timings = JSON.parse(run.outputs["timings"] ?? "{}") as { instants?: Record<string, string> };
    expect(Object.keys(timings.instants ?? {})).toEqual(expect.arrayContaining(["alertBegan", "relayReceived", "relayDispatched", "runStarted", "updateBegan", "applied"]));
    return run;
  }

  it("Grafana (signed): target tracking from the alert's values scales 3 → 7", async () => {
    const body = fixture("grafana", "webhook-firing.docs.json");
    const signature = createHmac("sha256", GRAFANA_HMAC).update(body).digest("hex");
    const run = await chain("/grafana", body, { "x-grafana-alerting-signature": signature });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ changed: "true", previous: "3", desired: "7" });
    expect(fleet.poolSizeOnDisk()).toBe(7);
  });

  it("Azure Monitor (?token=): the alert's custom properties scale 7 → 8", async () => {
    const run = await chain(`/azure-monitor?token=${AZURE_TOKEN}`, azureFired());
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ changed: "true", previous: "7", desired: "8" });
    expect(fleet.poolSizeOnDisk()).toBe(8);
  });

  it("Google Cloud Monitoring (?token=): an opened incident scales 8 → 9 by its rule", async () => {
    const run = await chain(`/google-cloud-monitoring?token=${GOOGLE_TOKEN}`, googleOpened());
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ changed: "true", previous: "8", desired: "9" });
    expect(fleet.poolSizeOnDisk()).toBe(9);
  });

  it("Datadog (bearer): a triggered monitor in PulumiScale's template scales 9 → 11", async () => {
    const run = await chain("/datadog", datadogTriggered(), { authorization: `Bearer ${DATADOG_TOKEN}` });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ changed: "true", previous: "9", desired: "11" });
    expect(fleet.poolSizeOnDisk()).toBe(11);
  });
});
