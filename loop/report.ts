// The loop's report: the latency table per scaling, what became of every alert, the consistency
// check, the chart's data, and the last line.
import { renderChart, type ChartData } from "./chart.ts";
import type { Consistency } from "./consistency.ts";
import { between, percentile, scalingsOf, STAGES, type Scaling } from "./latencies.ts";
import { flapsOf, outcomeOf, refusedByRelay } from "./outcomes.ts";
import { seconds } from "./profile.ts";
import type { LoopRun } from "./run.ts";

export interface LoopSummary {
  readonly scaleOuts: number;
  readonly scaleIns: number;
  readonly alertToApplied: { p50?: number; max?: number };
  readonly stages: { from: string; to: string; p50?: number; max?: number }[];
  readonly flaps: number;
  readonly lost: number;
  readonly finalCount: number;
  readonly scalings: Scaling[];
  readonly lastLine: string;
  readonly text: string;
}

const format = (value: number | undefined) => (value === undefined ? "–" : value.toFixed(1));

export function summarize(loop: LoopRun, consistency: Consistency): LoopSummary {
  const scalings = scalingsOf(loop.runs, loop.relayLines, loop.poolChanges);
  const lines: string[] = [];
  const stagePairs = STAGES.slice(1).map((to, index) => ({ from: STAGES[index]!, to }));
  lines.push("", "Latency per scaling (seconds; fired = the alert's startsAt in Prometheus, sent = the relay received it):", "");
  lines.push(`| # | run | scaling | alert | trigger | ${stagePairs.map(({ from, to }) => `${from}→${to}`).join(" | ")} | fired→applied |`);
  lines.push(`|---|---|---|---|---|${stagePairs.map(() => "---").join("|")}|---|`);
  scalings.forEach((scaling, index) => {
    const cells = stagePairs.map(({ from, to }) => format(between(scaling, from, to)));
    lines.push(`| ${index + 1} | ${scaling.run.id} | ${scaling.from} → ${scaling.to} | ${scaling.alert} | ${scaling.trigger} | ${cells.join(" | ")} | ${format(between(scaling, "fired", "applied"))} |`);
  });
  const stages = stagePairs.map(({ from, to }) => {
    const values = scalings.map((scaling) => between(scaling, from, to)).filter((value): value is number => value !== undefined);
    return { from, to, p50: percentile(values, 50), max: values.length ? Math.max(...values) : undefined };
  });
  const totals = scalings.map((scaling) => between(scaling, "fired", "applied")).filter((value): value is number => value !== undefined);
  const alertToApplied = { p50: percentile(totals, 50), max: totals.length ? Math.max(...totals) : undefined };
  lines.push(`| | | | | p50 | ${stages.map((stage) => format(stage.p50)).join(" | ")} | ${format(alertToApplied.p50)} |`);
  lines.push(`| | | | | max | ${stages.map((stage) => format(stage.max)).join(" | ")} | ${format(alertToApplied.max)} |`);

  lines.push("", "What became of each dispatch:");
  let lost = 0;
  for (const run of loop.runs) {
    const outcome = outcomeOf(run);
    if (outcome.lost) lost++;
    lines.push(`  run ${run.id}: ${outcome.what}${outcome.lost ? "  ← LOST" : ""}`);
  }
  const refused = refusedByRelay(loop.relayLines);
  for (const line of refused) lines.push(`  relay refused: ${line.reason} (${line.status})  ← LOST`);
  lost += refused.length;
  if (loop.invalidGitHubRequests.length > 0) lines.push(`  GitHub stand-in: ${loop.invalidGitHubRequests.length} invalid request(s)`);

  lines.push(
    "",
    `End state: git config ${consistency.gitConfig}, stack config ${consistency.stackConfig}, stack output ${consistency.stackOutput}, deployed ${consistency.deployed}; ` +
      `pulumi preview --expect-no-changes ${consistency.previewNoChanges ? "passed" : "FAILED"}; ${loop.converged ? "settled" : "did NOT settle"}.`,
  );
  const scaleOuts = scalings.filter((scaling) => scaling.direction === "out").length;
  const scaleIns = scalings.length - scaleOuts;
  const flaps = flapsOf(scalings, seconds(loop.profile.settings.scaleInStabilization));
  const lastLine = `loop: ${scaleOuts} scale-outs, ${scaleIns} scale-ins, alert→applied p50 ${format(alertToApplied.p50)} s max ${format(alertToApplied.max)} s, flaps ${flaps}, lost ${lost}`;
  return { scaleOuts, scaleIns, alertToApplied, stages, flaps, lost, finalCount: consistency.deployed, scalings, lastLine, text: lines.join("\n") };
}

/** The chart of the run: load, pool size, alerts firing and workflow runs over time. */
export function chartOf(loop: LoopRun): string {
  const t0 = loop.startedAt / 1000;
  const points = (series: LoopRun["series"]["load"]) =>
    (series[0]?.values ?? []).map(([time, value]) => [time - t0, Number(value)] as [number, number]);
  const spansOf = (name: string) => {
    const series = loop.series.alerts.filter((s) => s.metric["alertname"] === name);
    const step = seconds(loop.profile.settings.scrapeInterval);
    const spans: [number, number][] = [];
    for (const s of series) {
      for (const [time] of s.values) {
        const t = time - t0;
        const last = spans[spans.length - 1];
        if (last && t - last[1] <= step * 1.5) last[1] = t;
        else spans.push([t, t]);
      }
    }
    return spans.map(([start, end]) => [start, end + step] as [number, number]);
  };
  let phaseStart = 0;
  const phases = loop.profile.phases.map((phase) => {
    const mark = { name: phase.name, start: phaseStart };
    phaseStart += phase.seconds;
    return mark;
  });
  const data: ChartData = {
    title: `PulumiScale, the closed loop (${loop.profile.name} profile): the pool follows the load`,
    seconds: Math.ceil((loop.endedAt - loop.startedAt) / 1000),
    load: points(loop.series.load),
    loadPerWorker: points(loop.series.perWorker),
    pool: poolSteps(loop),
    alerts: ["WorkersBusy", "WorkersIdle"].map((name) => ({ name, spans: spansOf(name) })),
    runs: loop.runs
      .filter((run) => run.startedAt !== undefined && run.endedAt !== undefined)
      .map((run) => ({
        start: (run.startedAt! - loop.startedAt) / 1000,
        end: (run.endedAt! - loop.startedAt) / 1000,
        kind: run.result?.code !== 0 ? ("failed" as const) : run.result.outputs["changed"] === "true" ? ("scaled" as const) : ("unchanged" as const),
        label: run.result?.outputs["changed"] === "true" ? `${run.result.outputs["previous"]}→${run.result.outputs["desired"]}` : `run ${run.id}`,
      })),
    superseded: loop.runs.filter((run) => run.state === "superseded").map((run) => (run.queuedAt - loop.startedAt) / 1000),
    phases,
  };
  return renderChart(data);
}

/** The pool's size over time, from the watcher of its file: exact, where a scrape lags by up to one interval. */
function poolSteps(loop: LoopRun): [number, number][] {
  const at = (ms: number) => (ms - loop.startedAt) / 1000;
  const initial = loop.poolChanges[0]?.from ?? loop.profile.initialWorkers;
  const steps: [number, number][] = [[0, initial]];
  for (const change of loop.poolChanges) steps.push([at(change.at), change.to]);
  steps.push([at(loop.endedAt), steps[steps.length - 1]![1]]);
  return steps;
}
