// Measures the relay's own cost: requests/s and p50/p99 latency for each kind of webhook, with
// the bundled server (dist/relay/server.mjs, built by `npm run build:relay`) in its own process
// and a local GitHub stand-in that accepts every dispatch at once. Loopback only; a fixed number
// of requests per scenario, so the run is bounded.
//
//   npm run bench:relay
/* global fetch */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixture = (name) => readFileSync(new URL(`../test/relay/fixtures/${name}`, import.meta.url), "utf8");
const SECRET = "bench-shared-secret-0123456789";

function listenOnLoopback(server) {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
}

// The stand-in answers like GitHub does when it accepts a dispatch: 204, no body.
let dispatches = 0;
const github = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    dispatches += 1;
    response.writeHead(204);
    response.end();
  });
});
const githubPort = await listenOnLoopback(github);

const probe = createServer();
const relayPort = await listenOnLoopback(probe);
await new Promise((resolve) => probe.close(resolve));

const relay = spawn(process.execPath, ["dist/relay/server.mjs"], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    PATH: process.env.PATH,
    RELAY_HOST: "127.0.0.1",
    RELAY_PORT: String(relayPort),
    RELAY_GITHUB_API_URL: `http://127.0.0.1:${githubPort}`,
    RELAY_GITHUB_TOKEN: "bench-token",
    RELAY_GITHUB_REPOSITORY: "acme/infra",
    RELAY_ALERTMANAGER_TOKEN: SECRET,
    RELAY_EVENTBRIDGE_API_KEY: SECRET,
    RELAY_SHARED_SECRET: SECRET,
  },
});
const relayUrl = `http://127.0.0.1:${relayPort}`;
for (;;) {
  const ready = await fetch(`${relayUrl}/healthz`).catch(() => undefined);
  if (ready?.ok) break;
  if (relay.exitCode !== null) throw new Error("the relay exited; run `npm run build:relay` and check its log above");
  await sleep(50);
}

const firing = fixture("alertmanager-0.25.0-firing.raw.json");
const manyAlerts = (() => {
  const body = JSON.parse(firing);
  const [template] = body.alerts;
  body.alerts = Array.from({ length: 150 }, (_, index) => ({
    ...template,
    labels: { ...template.labels, instance: `node-${index}` },
    annotations: { ...template.annotations, description: "x".repeat(800) },
    fingerprint: index.toString(16).padStart(16, "0"),
  }));
  return JSON.stringify(body);
})();
const bearer = { authorization: `Bearer ${SECRET}`, "content-type": "application/json" };

const scenarios = [
  { name: "GET /healthz (no GitHub call)", method: "GET", path: "/healthz" },
  { name: "POST /dispatch delta", path: "/dispatch", body: '{"target":"workers","delta":2}', headers: bearer },
  { name: "POST /alertmanager (2 alerts, 1.4 KB)", path: "/alertmanager", body: firing, headers: bearer },
  { name: "POST /eventbridge alarm", path: "/eventbridge", body: fixture("eventbridge-state-change-for-a-single-metric-alarm.json"), headers: { "x-api-key": SECRET, "content-type": "application/json" } },
  { name: `POST /alertmanager (150 alerts, ${Math.round(manyAlerts.length / 1024)} KB, trimmed)`, path: "/alertmanager", body: manyAlerts, headers: bearer },
];

async function run(scenario, concurrency, total) {
  const latencies = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < total) {
      next += 1;
      const begin = performance.now();
      const response = await fetch(`${relayUrl}${scenario.path}`, {
        method: scenario.method ?? "POST",
        headers: scenario.headers,
        body: scenario.body,
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - begin);
      if (!response.ok) failures += 1;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { rps: total / seconds, p50: percentile(50), p99: percentile(99), failures };
}

const rows = [];
try {
  for (const scenario of scenarios) {
    await run(scenario, 4, 100); // warm-up: JIT, connection pools
    for (const [concurrency, total] of [
      [1, 500],
      [16, 2000],
    ]) {
      const result = await run(scenario, concurrency, total);
      rows.push({ scenario: scenario.name, concurrency, requests: total, ...result });
    }
  }
} finally {
  relay.kill("SIGTERM");
  github.close();
}

const pad = (text, width) => String(text).padEnd(width);
const padLeft = (text, width) => String(text).padStart(width);
const width = Math.max(...rows.map((row) => row.scenario.length));
console.log(`\nrelay benchmark: Node ${process.version}, loopback, GitHub stand-in answers 204 at once\n`);
console.log(`${pad("scenario", width)} | conc | requests |  req/s | p50 ms | p99 ms | failed`);
console.log(`${"-".repeat(width)}-|------|----------|--------|--------|--------|-------`);
for (const row of rows) {
  console.log(
    `${pad(row.scenario, width)} | ${padLeft(row.concurrency, 4)} | ${padLeft(row.requests, 8)} | ${padLeft(row.rps.toFixed(0), 6)} | ${padLeft(row.p50.toFixed(2), 6)} | ${padLeft(row.p99.toFixed(2), 6)} | ${padLeft(row.failures, 6)}`,
  );
}
console.log(`\ndispatches received by the stand-in: ${dispatches}`);
if (rows.some((row) => row.failures > 0)) {
  console.error("some requests were not answered 2xx: the numbers above are not valid");
  process.exit(1);
}
