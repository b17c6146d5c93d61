// Measures what the action adds to a targeted Pulumi update, on the fixture stack:
//   1. raw CLI (`pulumi config set` + `pulumi up --target … --skip-preview --yes`) against the
//      action (`node dist/index.js`) making the same scaling, with the preview gate off and on
//      (its default), and against the Automation API (bench/automation.ts: selectStack,
//      outputs + history, setConfig, up({ target })), alternating, at several stack sizes;
//   2. Pulumi CLI processes per scaling run, counted by a PATH shim;
//   3. dist size and cold start (process start → first Pulumi CLI call).
// Run with `npm run bench` (Node 24 runs this TypeScript file directly). Prints one table.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { createFleetStack, repoRoot, runAction, type FleetStack } from "../test/support/fleet.ts";

const sizes = (process.env["BENCH_SIZES"] ?? "10,100,1000").split(",").map(Number);
const runsPerSide = Number(process.env["BENCH_RUNS"] ?? 5);

/** A `pulumi` on PATH that logs each start (ms since the epoch, arguments), then runs the real one. */
function installShim(realPulumi: string): { dir: string; log: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "pulumiscale-shim-"));
  const log = path.join(dir, "calls.log");
  writeFileSync(log, "");
  const shim = path.join(dir, "pulumi");
  writeFileSync(shim, `#!/bin/sh\necho "$(date +%s%3N) $1 $2" >> '${log}'\nexec '${realPulumi}' "$@"\n`);
  chmodSync(shim, 0o755);
  return { dir, log };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface SideResult {
  median: number;
  processes: number;
  coldStartMs: number;
}

interface SizeResult {
  resources: number;
  raw: SideResult;
  /** The action with preview-gate: false: what it adds to the same update. */
  lean: SideResult;
  /** The action as configured by default: preview gate on. */
  gated: SideResult;
  /** The same scaling through the Automation API, with the reads a scaling needs. */
  automation: SideResult;
}

function benchSize(resources: number): SizeResult {
  // The pool, the stack resource, and the unrelated widgets make up the stack.
  const fleet: FleetStack = createFleetStack({ workerCount: 3, extraResources: Math.max(resources - 2, 0), bounds: { min: 1, max: 50 } });
  const urn = (fleet.outputs()["pulumiscale"] as { targets: { workers: { urn: string } } }).targets.workers.urn;
  const realPulumi = execFileSync("sh", ["-c", "command -v pulumi"], { env: fleet.env, encoding: "utf8" }).trim();
  const shim = installShim(realPulumi);
  const env = { ...fleet.env, PATH: `${shim.dir}${path.delimiter}${fleet.env["PATH"]}` };
  const calls = () => readFileSync(shim.log, "utf8").trim().split("\n").filter(Boolean);
  const samples = { raw: [] as number[], lean: [] as number[], gated: [] as number[], automation: [] as number[] };
  const processes = { raw: 0, lean: 0, gated: 0, automation: 0 };
  const coldStarts = { raw: [] as number[], lean: [] as number[], gated: [] as number[], automation: [] as number[] };
  let count = 3;
  const next = () => (count = count === 3 ? 4 : 3);

  const runRaw = () => {
    const run = (args: string[]) => {
      const result = spawnSync("pulumi", [...args, "--non-interactive"], { cwd: fleet.dir, env, encoding: "utf8" });
      if (result.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${result.stderr}`);
    };
    run(["config", "set", "workerCount", String(next()), "--stack", fleet.stackName]);
    run(["up", "--stack", fleet.stackName, "--target", urn, "--skip-preview", "--yes"]);
  };
  const runActionSide = (gate: boolean) => () => {
    const result = runAction(fleet, {
      eventName: "repository_dispatch",
      event: { client_payload: { target: "workers", count: next() } },
      inputs: { "preview-gate": String(gate), "commit-back": "false" },
      env,
    });
    if (result.code !== 0 || result.outputs["changed"] !== "true") throw new Error(`action run failed:\n${result.stdout}\n${result.stderr}`);
  };
  const runAutomation = () => {
    const result = spawnSync(process.execPath, [path.join(repoRoot, "bench", "automation.ts"), fleet.dir, fleet.stackName, urn, String(next())], {
      cwd: fleet.dir,
      env,
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`Automation API run failed:\n${result.stdout}\n${result.stderr}`);
  };
  const sides = { raw: runRaw, lean: runActionSide(false), gated: runActionSide(true), automation: runAutomation } as const;

  // Alternate the sides so drift on the machine hits all of them alike.
  for (let i = 0; i < runsPerSide; i++) {
    for (const side of ["raw", "lean", "gated", "automation"] as const) {
      writeFileSync(shim.log, "");
      const spawnedAt = Date.now();
      const started = performance.now();
      sides[side]();
      samples[side].push(performance.now() - started);
      const lines = calls();
      processes[side] = lines.length;
      coldStarts[side].push(Number(lines[0]!.split(" ")[0]) - spawnedAt);
    }
  }
  if (fleet.poolSizeOnDisk() !== count) throw new Error(`pool is ${fleet.poolSizeOnDisk()}, expected ${count}`);
  const side = (name: keyof typeof samples): SideResult => ({
    median: median(samples[name]),
    processes: processes[name],
    coldStartMs: median(coldStarts[name]),
  });
  return { resources, raw: side("raw"), lean: side("lean"), gated: side("gated"), automation: side("automation") };
}

const results = sizes.map((size) => {
  process.stderr.write(`bench: ${size} resources, ${runsPerSide} runs each side…\n`);
  return benchSize(size);
});
const distBytes = statSync(path.join(repoRoot, "dist", "index.js")).size;

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const rows = [
  [
    "resources",
    "raw CLI (s)",
    "action, gate off (s)",
    "ratio",
    "action, gate on (s)",
    "ratio",
    "Automation API (s)",
    "ratio",
    "CLI processes raw / off / on / API",
    "cold start action / API (ms)",
  ],
  ...results.map((r) => [
    String(r.resources),
    seconds(r.raw.median),
    seconds(r.lean.median),
    (r.lean.median / r.raw.median).toFixed(3),
    seconds(r.gated.median),
    (r.gated.median / r.raw.median).toFixed(3),
    seconds(r.automation.median),
    (r.automation.median / r.raw.median).toFixed(3),
    `${r.raw.processes} / ${r.lean.processes} / ${r.gated.processes} / ${r.automation.processes}`,
    `${r.lean.coldStartMs.toFixed(0)} / ${r.automation.coldStartMs.toFixed(0)}`,
  ]),
];
const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
const line = (row: string[]) => `| ${row.map((cell, column) => cell.padStart(widths[column]!)).join(" | ")} |`;
console.log(line(rows[0]!));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of rows.slice(1)) console.log(line(row));
console.log(
  `\nMedians of ${runsPerSide} alternating runs per side; cold start is the process start (action or Automation API script) to its first Pulumi CLI call.` +
    `\ndist/index.js: ${(distBytes / 1024 / 1024).toFixed(2)} MB; node ${process.version}; ${cpus().length} cores.`,
);
