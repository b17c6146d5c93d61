// The closed loop end to end, on the short profile: real Prometheus scrapes the load exporter,
// its alerts go through real Alertmanager to the relay bundle, whose dispatches become workflow
// runs of dist/index.js in one concurrency group, scaling the fixture pool and committing back.
// Needs `npm run build` (dist/), Debian's prometheus and prometheus-alertmanager.
import { existsSync } from "node:fs";
import path from "node:path";
import { ALERTMANAGER } from "../../loop/alertmanager.ts";
import { checkConsistency, type Consistency } from "../../loop/consistency.ts";
import { shortProfile } from "../../loop/profile.ts";
import { PROMETHEUS } from "../../loop/prometheus.ts";
import { summarize, type LoopSummary } from "../../loop/report.ts";
import { runLoop, type LoopRun } from "../../loop/run.ts";
import { repoRoot } from "../support/fleet.js";

describe("the closed loop (short profile)", () => {
  let loop: LoopRun;
  let summary: LoopSummary;
  let consistency: Consistency;
  const timeline: string[] = [];

  beforeAll(async () => {
    for (const [binary, install] of [
      [PROMETHEUS, "scripts/install-prometheus.sh"],
      [ALERTMANAGER, "scripts/install-alertmanager.sh"],
      [path.join(repoRoot, "dist", "relay", "server.mjs"), "npm run build"],
      [path.join(repoRoot, "dist", "index.js"), "npm run build"],
    ] as const) {
      if (!existsSync(binary)) throw new Error(`${binary} not found: run ${install}`);
    }
    loop = await runLoop(shortProfile, (line) => timeline.push(line));
    consistency = checkConsistency(loop.fleet);
    summary = summarize(loop, consistency);
    // The timeline and the table, for whoever reads a failure.
    console.log(`${timeline.join("\n")}\n${summary.text}\n${summary.lastLine}`);
  }, shortProfile.hangLimitSeconds * 1000 + 300_000);

  it("settles once the load is idle again", () => {
    expect(loop.converged).toBe(true);
  });

  it("follows the load up and back down", () => {
    expect(summary.scaleOuts).toBeGreaterThanOrEqual(1);
    expect(summary.scaleIns).toBeGreaterThanOrEqual(1);
    const sizes = loop.poolChanges.map((change) => change.to);
    // At least what the plateau needs (60 at 10 per worker); the spike's share depends on cooldowns.
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(6);
    expect(sizes[sizes.length - 1]).toBe(shortProfile.min);
  });

  it("neither flaps nor loses an alert", () => {
    expect(summary.flaps).toBe(0);
    expect(summary.lost).toBe(0);
    expect(loop.invalidGitHubRequests).toEqual([]);
  });

  it("ends within the bounds, with git config, stack config and the deployed count agreeing", () => {
    expect(consistency.deployed).toBeGreaterThanOrEqual(shortProfile.min);
    expect(consistency.deployed).toBeLessThanOrEqual(shortProfile.max);
    expect(consistency.gitConfig).toBe(consistency.deployed);
    expect(consistency.stackConfig).toBe(consistency.deployed);
    expect(consistency.stackOutput).toBe(consistency.deployed);
  });

  it("leaves nothing for a normal pulumi preview to change", () => {
    expect(consistency.previewOutput).toBeDefined();
    expect(consistency.previewNoChanges).toBe(true);
  });

  it("measures every stage of every scaling", () => {
    for (const scaling of summary.scalings) expect(Object.keys(scaling.at).sort()).toEqual(["applied", "committed", "dispatched", "fired", "sent", "started"]);
    expect(summary.lastLine).toMatch(/^loop: \d+ scale-outs, \d+ scale-ins, alert→applied p50 [\d.]+ s max [\d.]+ s, flaps 0, lost 0$/);
  });
});
