// Measures one schedule event on a large policy: 200 targets with 20 week-long schedules each
// (4,000 windows), in several time zones, decided by the engine as a `schedule` event decides
// them. The goal is under 50 ms; windows open by arithmetic on the cron fields (latest opening
// within the duration), not by checking each minute of the week.
// Run with `npm run bench` or `node bench/schedule.ts`. Prints one table; asserts nothing.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const TARGETS = Number(process.env["BENCH_TARGETS"] ?? 200);
const SCHEDULES = 20;
const RUNS = Number(process.env["BENCH_RUNS"] ?? 50);
const GOAL_MS = 50;

// The engine's sources import each other as .js, which Node cannot map to .ts: bundle them first.
const root = path.resolve(import.meta.dirname, "..");
const out = mkdtempSync(path.join(tmpdir(), "pulumiscale-bench-schedule-"));
const entry = path.join(out, "entry.ts");
await build({
  stdin: {
    contents: 'export { decide } from "./src/engine/decide.ts";\nexport { parsePolicy } from "./src/policy/schema.ts";\n',
    resolveDir: root,
    loader: "ts",
    sourcefile: entry,
  },
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: path.join(out, "engine.mjs"),
  logLevel: "error",
});
const engine = (await import(pathToFileURL(path.join(out, "engine.mjs")).href)) as {
  decide: (policy: unknown, signals: unknown[], context: { now: Date; evaluateSchedules?: boolean }) => { windows: unknown[] }[];
  parsePolicy: (value: unknown, outputName: string) => unknown;
};

const zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"];
const crons = [
  "0 8 * * MON-FRI",
  "30 6 * * *",
  "*/15 * * * *",
  "0 */2 * * *",
  "0 0 * * MON",
  "15 9 1,15 * *",
  "45 23 * * SAT,SUN",
  "@daily",
  "@hourly",
  "0 0 1 1 *",
];
const WEEK = 7 * 86_400;

/** 200 targets, each with 20 week-long windows of its own mix of expressions and zones. */
function largePolicy(): unknown {
  const targets: Record<string, unknown> = {};
  for (let t = 0; t < TARGETS; t++) {
    targets[`pool-${t}`] = {
      urn: `urn:pulumi:prod::fleet::aws:autoscaling/group:Group::pool-${t}`,
      config: `pool${t}Count`,
      current: 4,
      min: 1,
      max: 100,
      schedules: Array.from({ length: SCHEDULES }, (_, s) => ({
        name: `window-${s}`,
        cron: crons[(t + s) % crons.length]!,
        duration: WEEK - s * 3600,
        timezone: zones[(t * 7 + s) % zones.length]!,
        min: 1 + (s % 5),
      })),
    };
  }
  return { version: 1, targets };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const written = largePolicy();
const parseStart = performance.now();
const policy = engine.parsePolicy(written, "pulumiscale");
// Reading the policy is part of every run too, so it is shown beside the decision.
const parseMs = performance.now() - parseStart;
const instants = [
  ["a Thursday noon", "2026-11-26T12:00:00Z"],
  ["Berlin's fall-back hour", "2026-10-25T01:30:00Z"],
  ["New York's spring-forward gap", "2026-03-08T07:30:00Z"],
] as const;

const rows: string[][] = [];
for (const [label, iso] of instants) {
  const now = new Date(iso);
  const first = performance.now();
  const decisions = engine.decide(policy, [], { now, evaluateSchedules: true });
  const cold = performance.now() - first;
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    engine.decide(policy, [], { now, evaluateSchedules: true });
    samples.push(performance.now() - start);
  }
  const open = decisions.reduce((sum, decision) => sum + decision.windows.length, 0);
  const median = percentile(samples, 50);
  rows.push([label, `${TARGETS} × ${SCHEDULES}`, String(open), cold.toFixed(1), median.toFixed(1), percentile(samples, 95).toFixed(1), median < GOAL_MS ? "yes" : "NO"]);
}
rmSync(out, { recursive: true, force: true });

const header = ["schedule event at", "targets × schedules", "open windows", "first run ms", "median ms", "p95 ms", `median < ${GOAL_MS} ms`];
const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: readonly string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
console.log(`\nSchedule evaluation (${RUNS} runs each, Node ${process.version})\n`);
console.log(line(header));
console.log(line(widths.map((width) => "-".repeat(width))));
for (const row of rows) console.log(line(row));
console.log(`\nparsePolicy of the same policy (once, before the decisions): ${parseMs.toFixed(1)} ms`);
