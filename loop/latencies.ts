// Per scaling: when each stage happened, from the alert firing in Prometheus to the commit on the
// remote, taken from what each part records itself (the alert's startsAt, the relay's log, the
// GitHub stand-in, the runner, the pool's file, the remote's push hook).
import type { PoolChange } from "./pool-watch.ts";
import type { RelayLogLine } from "./relay.ts";
import type { WorkflowRun } from "./workflow.ts";

export const STAGES = ["fired", "sent", "dispatched", "started", "applied", "committed"] as const;
export type Stage = (typeof STAGES)[number];

export interface Scaling {
  readonly run: WorkflowRun;
  readonly from: number;
  readonly to: number;
  readonly direction: "out" | "in";
  /** `first`: the alert's first notification; `repeat`: Alertmanager re-sent a still-firing alert. */
  readonly trigger: "first" | "repeat";
  readonly alert: string;
  /** ms since the epoch per stage; missing when no part recorded it. */
  readonly at: Partial<Record<Stage, number>>;
}

interface PayloadAlert {
  status: string;
  startsAt: string;
  fingerprint?: string;
  labels: Record<string, string>;
}

export function payloadAlerts(run: WorkflowRun): PayloadAlert[] {
  const body = run.dispatch.body.client_payload["alertmanager"] as { alerts?: PayloadAlert[] } | undefined;
  return (body?.alerts ?? []).filter((alert) => alert.status === "firing");
}

/**
 * Stage times from the action's own `timings` output (its `instants`, ISO times stamped by the
 * relay and the run), so the loop's table and every run's report come from one source. The loop's
 * own observations fill in only what the output lacks.
 */
const FROM_TIMINGS: Partial<Record<Stage, string>> = {
  sent: "relayReceived",
  dispatched: "relayDispatched",
  started: "runStarted",
  applied: "applied",
  committed: "committed",
};

export function actionTimings(run: WorkflowRun): Partial<Record<Stage, number>> {
  const text = run.result?.outputs["timings"];
  if (!text) return {};
  try {
    const instants = (JSON.parse(text) as { instants?: Record<string, unknown> }).instants ?? {};
    const times: Partial<Record<Stage, number>> = {};
    for (const [stage, point] of Object.entries(FROM_TIMINGS) as [Stage, string][]) {
      const value = instants[point];
      const ms = typeof value === "string" ? Date.parse(value) : NaN;
      if (Number.isFinite(ms)) times[stage] = ms;
    }
    return times;
  } catch {
    return {};
  }
}

/** When the relay received the notification it forwarded as this dispatch (its log line minus its duration). */
function relayReceived(run: WorkflowRun, lines: readonly RelayLogLine[], used: Set<RelayLogLine>): number | undefined {
  const line = lines.find((candidate) => {
    if (used.has(candidate) || candidate.message !== "forwarded" || candidate.endpoint !== "alertmanager") return false;
    const logged = Date.parse(candidate.time);
    return logged - (candidate.ms ?? 0) - 5 <= run.dispatch.receivedAt && run.dispatch.receivedAt <= logged + 5;
  });
  if (!line) return undefined;
  used.add(line);
  return Date.parse(line.time) - (line.ms ?? 0);
}

export function scalingsOf(runs: readonly WorkflowRun[], relayLines: readonly RelayLogLine[], poolChanges: readonly PoolChange[]): Scaling[] {
  const used = new Set<RelayLogLine>();
  const seen = new Set<string>();
  const scalings: Scaling[] = [];
  for (const run of [...runs].sort((a, b) => a.dispatch.receivedAt - b.dispatch.receivedAt)) {
    const sent = relayReceived(run, relayLines, used);
    const alerts = payloadAlerts(run);
    const keys = alerts.map((alert) => `${alert.fingerprint}|${alert.startsAt}`);
    const repeat = keys.length > 0 && keys.every((key) => seen.has(key));
    for (const key of keys) seen.add(key);
    if (run.result?.outputs["changed"] !== "true") continue;
    const decision = (JSON.parse(run.result.outputs["decisions"] ?? "[]") as { from: number; to: number }[]).find(
      (candidate) => candidate.from !== candidate.to,
    );
    if (!decision) continue;
    const firedAt = Math.min(...alerts.map((alert) => Date.parse(alert.startsAt)));
    const applied = poolChanges.find((change) => change.to === decision.to && change.at >= run.startedAt! && change.at <= run.endedAt!)?.at;
    const observed: Partial<Record<Stage, number>> = {
      // A re-sent alert was held by the policy until now: its clock starts at the re-send.
      fired: repeat ? sent : Number.isFinite(firedAt) ? firedAt : undefined,
      sent,
      dispatched: run.dispatch.receivedAt,
      started: run.startedAt,
      applied,
      committed: run.committedAt,
    };
    const at = { ...observed, ...actionTimings(run) };
    scalings.push({
      run,
      from: decision.from,
      to: decision.to,
      direction: decision.to > decision.from ? "out" : "in",
      trigger: repeat ? "repeat" : "first",
      alert: alerts.map((alert) => alert.labels["alertname"]).join(", "),
      at: Object.fromEntries(Object.entries(at).filter(([, value]) => value !== undefined)),
    });
  }
  return scalings;
}

/** Seconds between two stages of a scaling, when both were recorded. */
export function between(scaling: Scaling, from: Stage, to: Stage): number | undefined {
  const start = scaling.at[from];
  const end = scaling.at[to];
  return start === undefined || end === undefined ? undefined : (end - start) / 1000;
}

export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: p50 of [1, 2, 3, 4] is 2, of [1, 2, 3] is 2.
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
