// The closed loop, all on loopback: the fixture stack (file backend, bare git remote) whose pool is
// scaled; the load exporter; Prometheus with the scaling rules; Alertmanager; the relay bundle; a
// GitHub stand-in whose accepted dispatches become workflow runs of the action in one concurrency
// group. Prints a timeline as it goes and returns everything the report and the chart need.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { createFleetStack, type FleetStack } from "../test/support/fleet.ts";
import { startAlertmanager } from "./alertmanager.ts";
import { ConcurrencyGroup } from "./concurrency-group.ts";
import { startExporter } from "./exporter.ts";
import { startGitHub } from "./github.ts";
import { watchPool, type PoolChange } from "./pool-watch.ts";
import { loadAt, profileSeconds, seconds, type Profile } from "./profile.ts";
import { startPrometheus } from "./prometheus.ts";
import { startRelay, type RelayLogLine } from "./relay.ts";
import { executeWorkflowRun, installPushLog, type WorkflowRun } from "./workflow.ts";

const GITHUB_TOKEN = "ghp_loopStandInToken0123456789abcdefghij";
const ALERTMANAGER_TOKEN = "loop-alertmanager-9d3c1f7a2b6e";

export interface Series {
  readonly metric: Record<string, string>;
  readonly values: [number, string][];
}

export interface LoopRun {
  readonly profile: Profile;
  readonly fleet: FleetStack;
  /** ms since the epoch when the profile started. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly converged: boolean;
  readonly runs: WorkflowRun[];
  readonly poolChanges: PoolChange[];
  readonly relayLines: RelayLogLine[];
  readonly invalidGitHubRequests: unknown[];
  /** Range queries over the whole run: loop_load, loop_load_per_worker, ALERTS. */
  readonly series: { load: Series[]; perWorker: Series[]; alerts: Series[] };
}

/** The stack's policy: target tracking on the `value` annotation, both directions, with the profile's pace. */
export function loopPolicy(profile: Profile) {
  const track = { targetValue: profile.targetPerWorker };
  return {
    rules: [
      { match: { source: "alertmanager", name: "WorkersBusy" }, target: "workers", firing: track, valueFrom: "value" },
      { match: { source: "alertmanager", name: "WorkersIdle" }, target: "workers", firing: track, valueFrom: "value" },
    ],
    workers: {
      cooldown: { scaleOut: profile.settings.cooldownScaleOut, scaleIn: profile.settings.cooldownScaleIn },
      scaleInStabilization: profile.settings.scaleInStabilization,
    },
  };
}

export async function runLoop(profile: Profile, print: (line: string) => void = console.log): Promise<LoopRun> {
  const fleet = createFleetStack({ workerCount: profile.initialWorkers, git: true, bounds: { min: profile.min, max: profile.max }, policy: loopPolicy(profile) });
  const workDir = path.join(path.dirname(fleet.dir), "loop");
  mkdirSync(workDir, { recursive: true });
  const pushLog = path.join(workDir, "pushes.log");
  installPushLog(fleet, pushLog);

  // Everything started is stopped again, in reverse order, however the run ends.
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  // Interrupted (Ctrl-C, kill): stop the servers too, instead of leaving them behind.
  const onSignal = () => void stopAll().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await closeLoop(profile, fleet, workDir, pushLog, print, cleanups);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await stopAll();
  }
}

async function closeLoop(
  profile: Profile,
  fleet: FleetStack,
  workDir: string,
  pushLog: string,
  print: (line: string) => void,
  cleanups: (() => Promise<void> | void)[],
): Promise<LoopRun> {
  let startedAt = Date.now();
  const clock = (at = Date.now()) => `${((at - startedAt) / 1000).toFixed(1).padStart(6)}s`;
  const say = (text: string, at?: number) => print(`${clock(at)}  ${text}`);

  const runs: WorkflowRun[] = [];
  const group = new ConcurrencyGroup<WorkflowRun>(
    async (run) => {
      say(`run ${run.id} started`);
      await executeWorkflowRun(fleet, run, pushLog);
      const outputs = run.result!.outputs;
      const decision = (JSON.parse(outputs["decisions"] ?? "[]") as { from: number; to: number; why?: string }[])[0];
      const what = run.result!.code !== 0 ? `failed (exit ${run.result!.code})` : outputs["changed"] === "true" ? `scaled ${outputs["previous"]} → ${outputs["desired"]}` : `unchanged: ${decision?.why ?? "no decision"}`;
      say(`run ${run.id} ended: ${what}${run.result!.code !== 0 ? `\n${run.result!.stdout.slice(-2000)}\n${run.result!.stderr.slice(-2000)}` : ""}`);
    },
    (old, by) => say(`run ${old.id} replaced while pending by run ${by.id}`),
  );
  const github = await startGitHub(GITHUB_TOKEN, (dispatch) => {
    const alerts = ((dispatch.body.client_payload["alertmanager"] as { alerts?: { labels: Record<string, string>; annotations: Record<string, string> }[] })?.alerts ?? [])
      .map((alert) => `${alert.labels["alertname"]} value ${Number(alert.annotations["value"]).toFixed(2)}`)
      .join(", ");
    const run: WorkflowRun = { id: runs.length + 1, state: "pending", dispatch, queuedAt: Date.now() };
    runs.push(run);
    say(`dispatch accepted (${alerts}) → run ${run.id} queued`, dispatch.receivedAt);
    group.submit(run);
  });
  cleanups.push(() => github.stop());
  const relay = await startRelay(workDir, github.url, GITHUB_TOKEN, ALERTMANAGER_TOKEN);
  cleanups.push(() => relay.service.stop());
  relay.service.onLine((line) => {
    if (line.includes('"not forwarded"')) say(`relay refused a notification: ${line}`);
  });
  const alertmanager = await startAlertmanager(profile, workDir, relay.url, ALERTMANAGER_TOKEN);
  cleanups.push(() => alertmanager.service.stop());
  startedAt = Date.now();
  const exporter = await startExporter(profile, fleet.stateDir, startedAt);
  cleanups.push(() => exporter.stop());
  const prometheus = await startPrometheus(profile, workDir, exporter.url, alertmanager.url);
  cleanups.push(() => prometheus.service.stop());
  const pool = watchPool(fleet.stateDir, (change) => say(`pool ${change.from} → ${change.to} (applied in the cloud)`, change.at));
  cleanups.push(() => pool.stop());
  // A run still in progress when the loop is stopped early is waited for: it holds the stack.
  cleanups.push(() => group.whenIdle());
  say(`profile "${profile.name}" started: ${profile.phases.map((phase) => `${phase.name} ${phase.seconds}s`).join(", ")}; pool ${pool.size()}`);

  // The timeline's observer: Prometheus's alert states and the profile's phases, once a second.
  // The run ends when the profile is over and the loop has settled (no alert pending or firing,
  // no run in progress or pending), or at the hang limit.
  const alertStates = new Map<string, string>();
  let phase = "";
  let converged = false;
  const hangLimit = startedAt + profile.hangLimitSeconds * 1000;
  const tick = seconds(profile.settings.evaluationInterval) * 1000;
  while (Date.now() < hangLimit) {
    const elapsed = exporter.elapsed();
    const current = loadAt(profile, elapsed);
    if (current.phase !== phase) {
      phase = current.phase;
      say(`phase ${phase}: load ${current.load.toFixed(0)}`);
    }
    const alerts = await prometheus.alerts();
    const now = new Map(alerts.map((alert) => [alert.labels["alertname"]!, alert.state]));
    for (const [name, state] of now) if (alertStates.get(name) !== state) say(`alert ${name} ${state} (value ${Number(alerts.find((a) => a.labels["alertname"] === name)!.value).toFixed(2)})`);
    for (const name of alertStates.keys()) if (!now.has(name)) say(`alert ${name} resolved`);
    alertStates.clear();
    for (const [name, state] of now) alertStates.set(name, state);
    if (elapsed > profileSeconds(profile) && now.size === 0 && group.isIdle()) {
      converged = true;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, tick)));
  }
  if (!converged) say(`did not settle within ${profile.hangLimitSeconds} s`);
  await group.whenIdle();
  const endedAt = Date.now();
  say(`loop settled with pool ${pool.size()}`);

  const range = (expr: string) => prometheus.queryRange(expr, startedAt / 1000, endedAt / 1000, Math.max(1, seconds(profile.settings.scrapeInterval)));
  const series = {
    load: await range("loop_load"),
    perWorker: await range("loop_load_per_worker"),
    alerts: await range('ALERTS{alertstate="firing"}'),
  };
  return {
    profile,
    fleet,
    startedAt,
    endedAt,
    converged,
    runs,
    poolChanges: pool.changes,
    relayLines: relay.lines,
    invalidGitHubRequests: github.standIn.invalid,
    series,
  };
}
