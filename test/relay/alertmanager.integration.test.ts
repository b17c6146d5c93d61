import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePayload } from "../../src/adapters/registry.js";
import { GitHubStandIn } from "./support/github-stand-in.js";
import { ALERTMANAGER_TOKEN, GITHUB_TOKEN, SECRETS, relayEnv, startRelay, type RunningRelay } from "./support/relay.js";

/**
 * The real Alertmanager (Debian's prometheus-alertmanager) → relay → GitHub stand-in, all on
 * loopback. The stand-in fails the first two dispatches with 503; the relay retries them, so
 * Alertmanager sees a single successful notification and GitHub records exactly one dispatch.
 */

const ALERTMANAGER = process.env["ALERTMANAGER_BIN"] ?? "/usr/bin/prometheus-alertmanager";

let github: GitHubStandIn;
let relay: RunningRelay;
let alertmanager: ChildProcess | undefined;
let alertmanagerUrl = "";
let alertmanagerLog = "";
let workDir = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `check` returns something; the test's own timeout bounds the wait. */
async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (alertmanager?.exitCode !== null && alertmanager?.exitCode !== undefined) {
      throw new Error(`Alertmanager exited (${alertmanager.exitCode}) while waiting for ${what}:\n${alertmanagerLog}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  if (!existsSync(ALERTMANAGER)) {
    throw new Error(`${ALERTMANAGER} not found: run "bash scripts/install-alertmanager.sh" (Debian's prometheus-alertmanager), or set ALERTMANAGER_BIN`);
  }
  github = new GitHubStandIn(GITHUB_TOKEN);
  await github.start();
  relay = await startRelay(relayEnv(github.url));

  workDir = mkdtempSync(join(tmpdir(), "relay-alertmanager-"));
  // Short intervals: Alertmanager retries a failed notification only for about group_interval.
  writeFileSync(
    join(workDir, "alertmanager.yml"),
    [
      "route:",
      "  receiver: pulumiscale-relay",
      "  group_by: [alertname, stack]",
      "  group_wait: 1s",
      "  group_interval: 5s",
      "  repeat_interval: 1h",
      "receivers:",
      "  - name: pulumiscale-relay",
      "    webhook_configs:",
      `      - url: ${relay.url}/alertmanager`,
      "        send_resolved: true",
      "        http_config:",
      "          authorization:",
      "            type: Bearer",
      `            credentials: ${ALERTMANAGER_TOKEN}`,
      "",
    ].join("\n"),
  );
  const port = await freePort();
  alertmanagerUrl = `http://127.0.0.1:${port}`;
  alertmanager = spawn(
    ALERTMANAGER,
    [
      `--config.file=${join(workDir, "alertmanager.yml")}`,
      `--storage.path=${join(workDir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level=debug",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  alertmanager.stdout?.on("data", (chunk: Buffer) => (alertmanagerLog += chunk.toString()));
  alertmanager.stderr?.on("data", (chunk: Buffer) => (alertmanagerLog += chunk.toString()));
  await eventually("Alertmanager to be ready", async () => {
    const ready = await fetch(`${alertmanagerUrl}/-/ready`).catch(() => undefined);
    return ready?.ok ? true : undefined;
  });
});

afterAll(async () => {
  if (alertmanager && alertmanager.exitCode === null) {
    const exited = new Promise((resolve) => alertmanager!.once("exit", resolve));
    alertmanager.kill("SIGTERM");
    await exited;
  }
  await relay?.stop();
  await github?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test("Alertmanager's webhook reaches GitHub as one valid dispatch after two 503s, and Alertmanager logs success", async () => {
  github.dispatchAnswers.push({ status: 503 }, { status: 503 });
  const startsAt = new Date().toISOString();
  const alert = (service: string) => ({
    labels: { alertname: "HighCPU", stack: "prod", service, pulumiscale_target: "workers", pulumiscale_adjust: "+2" },
    annotations: { summary: `CPU above 85% on ${service}` },
    startsAt,
    generatorURL: "http://prometheus.example.internal:9090/graph",
  });
  const pushed = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify([alert("api"), alert("worker")]),
  });
  expect(pushed.status).toBe(200);

  await eventually("the dispatch", () => (github.dispatches.length > 0 ? true : undefined));
  await eventually("Alertmanager to log the notification's outcome", () =>
    /Notify success|Notify for alerts failed/.test(alertmanagerLog) ? true : undefined,
  );

  expect(alertmanagerLog).toMatch(/msg="Notify success"[^\n]*attempts=1/);
  expect(alertmanagerLog).not.toContain("Notify for alerts failed");
  expect(github.invalid).toEqual([]);
  expect(github.requests.map((request) => request.status)).toEqual([503, 503, 204]);
  expect(github.dispatches).toHaveLength(1);

  const dispatch = github.dispatches[0]!;
  expect(dispatch.path).toBe("/repos/acme/infra/dispatches");
  type Webhook = { version: string; alerts: { status: string; labels: Record<string, string> }[] };
  const body = dispatch.body as { event_type: string; client_payload: { source: string; alertmanager: Webhook; relay: { received: string; dispatched: string } } };
  expect(body.event_type).toBe("pulumiscale");
  expect(Object.keys(body.client_payload).sort()).toEqual(["alertmanager", "relay", "source"]);
  // The accepted attempt, sent after two 503s, says when it was sent, not when the first was.
  expect(Date.parse(body.client_payload.relay.dispatched)).toBeGreaterThan(Date.parse(body.client_payload.relay.received));
  const webhook = body.client_payload.alertmanager;
  expect(webhook.version).toBe("4");
  expect(webhook.alerts.map((sent) => sent.labels["service"]).sort()).toEqual(["api", "worker"]);
  expect(webhook.alerts.every((sent) => sent.status === "firing")).toBe(true);

  // What the action will read from this dispatch.
  const signals = parsePayload(body.client_payload, "client_payload");
  expect(signals).toHaveLength(2);
  expect(signals.every((signal) => signal.target === "workers" && signal.adjustment?.type === "change")).toBe(true);

  expect(relay.relay.metrics.forwarded.get({ endpoint: "alertmanager" })).toBe(1);
  for (const secret of SECRETS) expect(relay.logs.join("\n")).not.toContain(secret);
});
