// The timings of real scalings through dist/index.js: an alert that came through the relay, and
// ticks of an external timer (`source: schedule`). Prints the measured stages (docs/benchmarks.md,
// "Latency budget on GitHub", takes its local numbers from here).
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createFleetStack, repoRoot, runAction, type FleetStack } from "../support/fleet.js";
import type { Timings } from "../../src/timings/stages.js";

const firing = JSON.parse(readFileSync(path.join(repoRoot, "test", "fixtures", "payloads", "alertmanager", "alertmanager-0.25.0-firing.raw.json"), "utf8"));
const rules = [{ match: { source: "alertmanager", name: "HighCPU", labels: { service: "worker" } }, target: "workers", firing: "+2" }];

describe("timings of real scalings", () => {
  let fleet: FleetStack;
  beforeAll(() => {
    fleet = createFleetStack({ workerCount: 3, bounds: { max: 20 }, policy: { rules }, git: true });
  });

  it("an alert through the relay: every stage from the alert to the commit, in the output, the summary and the update message", () => {
    // The alert began ten minutes ago; the relay received it 590 s later, ten seconds ago, and
    // dispatched it at once. However slow the run, that first stage stays the longest.
    const now = Date.now();
    const relay = { received: new Date(now - 10_000).toISOString(), dispatched: new Date(now - 9_500).toISOString() };
    const alerts = firing.alerts.map((alert: Record<string, unknown>) => ({ ...alert, startsAt: new Date(now - 600_000).toISOString() }));
    const run = runAction(fleet, { eventName: "repository_dispatch", event: { client_payload: { source: "alertmanager", alertmanager: { ...firing, alerts }, relay } } });
    expect(run.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(5);
    const timings = JSON.parse(run.outputs["timings"]!) as Timings;
    expect(Object.keys(timings.instants)).toEqual(["alertBegan", "relayReceived", "relayDispatched", "runStarted", "previewBegan", "updateBegan", "applied", "committed"]);
    expect(timings.stages).toHaveLength(7);
    for (const stage of timings.stages) expect(stage.skewSeconds).toBeUndefined();
    expect(timings.totalSeconds).toBeGreaterThanOrEqual(600);
    expect(timings.longest).toEqual(expect.objectContaining({ from: "alertBegan", to: "relayReceived" }));
    expect(run.summary).toMatch(/Timings: alert began \d\d:\d\d:\d\d → relay received .* → committed \d\d:\d\d:\d\d, \d+ s in all \(UTC\); longest: alert began → relay received 590 s/);
    // The update message (the stack's history) and the commit say where the time went when they were written.
    const history = JSON.parse(fleet.pulumi(["stack", "history", "--json", "--stack", fleet.stackName])) as { message: string }[];
    expect(history[0]!.message).toMatch(/\nTimings: alert began .* → update began \d\d:\d\d:\d\d/);
    expect(fleet.git(["--git-dir", fleet.remote!, "log", "-1", "--format=%B", "main"])).toMatch(/\nTimings: alert began .* → applied \d\d:\d\d:\d\d/);
    process.stdout.write(`measured stages: ${timings.stages.map((s) => `${s.from} → ${s.to} ${s.seconds} s`).join(", ")}\n`);
  });

  it("an external tick applies an open window; the same tick again changes nothing", () => {
    const window = { name: "always", cron: "* * * * *", duration: "1h", timezone: "UTC", min: 8 };
    const ticking = createFleetStack({ workerCount: 3, bounds: { max: 20 }, policy: { workers: { schedules: [window] } } });
    const tick = { client_payload: { source: "schedule", id: "tick-1" } };
    const first = runAction(ticking, { eventName: "repository_dispatch", event: tick });
    expect(first.code).toBe(0);
    expect(ticking.poolSizeOnDisk()).toBe(8);
    expect(first.outputs).toMatchObject({ changed: "true", previous: "3", desired: "8" });
    expect(JSON.parse(first.outputs["decisions"]!)[0].why).toMatch(/scheduleMin 8 \(schedule always, applied \d+ s after it opened\) turned 3 into 8/);
    const again = runAction(ticking, { eventName: "repository_dispatch", event: tick });
    expect(again.code).toBe(0);
    expect(again.outputs["changed"]).toBe("false");
    expect(ticking.poolSizeOnDisk()).toBe(8);
  });

  it("an update that had to download a plugin warns, naming the cache step to add", () => {
    // A pulumi on PATH in front of the real one, which reports a plugin install on stderr as the
    // CLI does when it downloads one (nothing can be downloaded on this machine).
    const bin = mkdtempSync(path.join(tmpdir(), "pulumiscale-wrapper-"));
    const real = path.join(fleet.env["PATH"]!.split(path.delimiter)[0]!, "pulumi");
    writeFileSync(
      path.join(bin, "pulumi"),
      `#!/bin/sh\ncase "$1" in up|preview) echo "[resource plugin random-4.18.0] installing" >&2 ;; esac\nexec "${real}" "$@"\n`,
    );
    chmodSync(path.join(bin, "pulumi"), 0o755);
    const run = runAction(fleet, {
      eventName: "repository_dispatch",
      event: { client_payload: { target: "workers", delta: 1 } },
      env: { PATH: [bin, fleet.env["PATH"]].join(path.delimiter) },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("::warning title=PulumiScale downloaded Pulumi plugins::This run downloaded a Pulumi plugin (random-4.18.0)");
    expect(run.stdout).toContain("path: ~/.pulumi/plugins");
  });
});
