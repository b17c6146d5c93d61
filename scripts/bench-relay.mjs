// Measures the relay's own cost, with the bundled server (dist/relay/server.mjs, built by
// `npm run build:relay`) in its own process and a local GitHub stand-in that accepts every
// dispatch at once:
// 1. requests/s and p50/p99 latency for each kind of webhook;
// 2. 20,000 valid requests at concurrency 64, with the relay's RSS before and after;
// 3. hostile clients: 1,500 unauthenticated connections each uploading 1 MiB slowly and 200
//    slowloris connections, while legitimate requests continue (peak RSS, legitimate p99, lost).
// Loopback only; every loop has a fixed count or a deadline, so the run stops by itself.
//
//   npm run bench:relay
//   node scripts/bench-relay.mjs --hostile-only   # just part 3
//   node scripts/bench-relay.mjs --load-only      # just part 2
/* global fetch */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { connect } from "node:net";
import { Buffer } from "node:buffer";
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

const relayUrl = `http://127.0.0.1:${relayPort}`;

/** Starts the bundled relay in its own process; resolves once it answers /healthz. */
async function startRelay() {
  const child = spawn(process.execPath, ["dist/relay/server.mjs"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      PATH: process.env.PATH,
      // BENCH_RELAY_NODE_OPTIONS measures the relay with other V8 settings (docs/relay.md).
      ...(process.env.BENCH_RELAY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_RELAY_NODE_OPTIONS } : {}),
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
  for (let tries = 0; tries < 400; tries++) {
    const ready = await fetch(`${relayUrl}/healthz`).catch(() => undefined);
    if (ready?.ok) return child;
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  child.kill("SIGTERM");
  throw new Error("the relay did not start; run `npm run build:relay` and check its log above");
}

/** Stops a relay and waits until its port is free again. */
async function stopRelay(child) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

let relay = await startRelay();

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

/** The relay's resident memory now and at its peak so far, in MB (Linux /proc). */
function relayMemory() {
  const status = readFileSync(`/proc/${relay.pid}/status`, "utf8");
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: field("VmRSS"), peak: field("VmHWM") };
}

/** Opens a connection and resolves once it is connected (or failed: then it counts as refused). */
function openSocket() {
  return new Promise((resolve) => {
    const socket = connect(relayPort, "127.0.0.1");
    socket.on("connect", () => resolve(socket));
    socket.on("error", () => resolve(undefined));
    socket.on("data", () => undefined);
  });
}

/**
 * 1,500 connections without credentials, each declaring and slowly sending 1 MiB (16 chunks of
 * 64 KiB, one a second), and 200 slowloris connections sending one header line a second and
 * never finishing. Legitimate requests run all along. Ends when the uploads are done.
 */
async function hostile() {
  const startRss = relayMemory().rss;
  const UPLOADERS = 1500;
  const SLOWLORIS = 200;
  const CHUNK = Buffer.alloc(64 * 1024, 0x20);
  const CHUNKS = 16;
  const phaseDeadline = performance.now() + 90_000;
  let refused = 0;
  let answered = 0;
  const sockets = [];
  const uploads = [];
  for (let index = 0; index < UPLOADERS; index++) {
    uploads.push(
      (async () => {
        const socket = await openSocket();
        if (!socket) return (refused += 1);
        sockets.push(socket);
        socket.once("data", () => (answered += 1));
        socket.write(`POST /alertmanager HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nContent-Length: ${CHUNKS * CHUNK.length}\r\n\r\n`);
        for (let chunk = 0; chunk < CHUNKS && !socket.destroyed && performance.now() < phaseDeadline; chunk++) {
          await sleep(1000);
          socket.write(CHUNK);
        }
      })(),
    );
    if (index % 100 === 99) await sleep(100); // 1,000 new connections a second
  }
  const slowloris = [];
  for (let index = 0; index < SLOWLORIS; index++) {
    slowloris.push(
      (async () => {
        const socket = await openSocket();
        if (!socket) return;
        sockets.push(socket);
        socket.write("POST /alertmanager HTTP/1.1\r\nHost: relay\r\n");
        for (let line = 0; !socket.destroyed && performance.now() < phaseDeadline && line < 60; line++) {
          await sleep(1000);
          socket.write(`X-Slow-${line}: x\r\n`);
        }
      })(),
    );
  }
  let peakRss = 0;
  let stop = false;
  const sampler = (async () => {
    while (!stop) {
      peakRss = Math.max(peakRss, relayMemory().rss);
      await sleep(100);
    }
  })();
  // Legitimate traffic while the hostile uploads last.
  const legit = runUntil({ path: "/dispatch", body: '{"target":"workers","delta":2}', headers: bearer }, 4, () => stop);
  await Promise.all(uploads);
  stop = true;
  const [result] = await Promise.all([legit, sampler]);
  for (const socket of sockets) socket.destroy();
  await Promise.all(slowloris);
  return { ...result, startRss, peakRss: Math.max(peakRss, relayMemory().peak), refused, answered };
}

/** Like run(), but until `done()` says so rather than for a fixed count (bounded by the caller). */
async function runUntil(scenario, concurrency, done) {
  const latencies = [];
  let failures = 0;
  async function worker() {
    while (!done()) {
      const begin = performance.now();
      try {
        const response = await fetch(`${relayUrl}${scenario.path}`, { method: "POST", headers: scenario.headers, body: scenario.body });
        await response.arrayBuffer();
        if (response.status !== 200) failures += 1;
      } catch {
        failures += 1;
      }
      latencies.push(performance.now() - begin);
      await sleep(20);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((a, b) => a - b);
  const percentile = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { requests: latencies.length, p50: percentile(50), p99: percentile(99), failures };
}

const hostileOnly = process.argv.includes("--hostile-only");
const loadOnly = process.argv.includes("--load-only");
const rows = [];
let load;
let attack;
try {
  for (const scenario of hostileOnly || loadOnly ? [] : scenarios) {
    await run(scenario, 4, 100); // warm-up: JIT, connection pools
    for (const [concurrency, total] of [
      [1, 300],
      [16, 1000],
    ]) {
      const result = await run(scenario, concurrency, total);
      rows.push({ scenario: scenario.name, concurrency, requests: total, ...result });
    }
  }
  if (!hostileOnly) {
    const dispatch = scenarios[1];
    await run(dispatch, 64, 2000); // warm-up at the concurrency measured
    const before = relayMemory().rss;
    const result = await run(dispatch, 64, 20_000);
    load = { ...result, before, after: relayMemory().rss };
  }
  if (!loadOnly) {
    // A fresh relay for the attack, so its peak RSS is the attack's alone.
    await stopRelay(relay);
    relay = await startRelay();
    attack = await hostile();
  }
} finally {
  relay.kill("SIGTERM");
  github.close();
}

const pad = (text, width) => String(text).padEnd(width);
const padLeft = (text, width) => String(text).padStart(width);
const width = Math.max(8, ...rows.map((row) => row.scenario.length));
console.log(`\nrelay benchmark: Node ${process.version}, loopback, GitHub stand-in answers 204 at once\n`);
if (rows.length > 0) {
  console.log(`${pad("scenario", width)} | conc | requests |  req/s | p50 ms | p99 ms | failed`);
  console.log(`${"-".repeat(width)}-|------|----------|--------|--------|--------|-------`);
}
for (const row of rows) {
  console.log(
    `${pad(row.scenario, width)} | ${padLeft(row.concurrency, 4)} | ${padLeft(row.requests, 8)} | ${padLeft(row.rps.toFixed(0), 6)} | ${padLeft(row.p50.toFixed(2), 6)} | ${padLeft(row.p99.toFixed(2), 6)} | ${padLeft(row.failures, 6)}`,
  );
}
console.log(`\ndispatches received by the stand-in: ${dispatches}`);

if (load) {
  console.log("\n20,000 valid POST /dispatch at concurrency 64");
  console.log(`  req/s ${load.rps.toFixed(0)}, p50 ${load.p50.toFixed(2)} ms, p99 ${load.p99.toFixed(2)} ms, failed ${load.failures}`);
  console.log(`  relay RSS before ${load.before.toFixed(0)} MB, after ${load.after.toFixed(0)} MB`);
}

const verdict = (ok) => (ok ? "ok" : "MISSED");
if (attack) {
console.log("\nhostile clients: 1,500 unauthenticated 1 MiB slow uploads + 200 slowloris, legitimate requests at concurrency 4");
console.log(`  peak relay RSS ${attack.peakRss.toFixed(0)} MB from ${attack.startRss.toFixed(0)} MB at the start (target <= 200 MB: ${verdict(attack.peakRss <= 200)})`);
console.log(`  legitimate requests ${attack.requests}, p50 ${attack.p50.toFixed(2)} ms, p99 ${attack.p99.toFixed(2)} ms (target <= 250 ms: ${verdict(attack.p99 <= 250)})`);
console.log(`  legitimate requests lost ${attack.failures} (target 0: ${verdict(attack.failures === 0)})`);
console.log(`  hostile uploads answered before they finished: ${attack.answered} of 1500; connections refused: ${attack.refused}`);
}
if (rows.some((row) => row.failures > 0) || (load?.failures ?? 0) > 0 || (attack?.failures ?? 0) > 0) {
  console.error("some requests were not answered 2xx: the numbers above are not valid");
  process.exit(1);
}
