// The step summary explains every hold, limit, open window and skipped signal of a run.
import type { ResolvedSignal } from "../../src/adapters/signal.js";
import { decide } from "../../src/engine/decide.js";
import { parsePolicy } from "../../src/policy/schema.js";
import { renderSummary } from "../../src/report/summary.js";

const policy = parsePolicy(
  {
    version: 1,
    targets: {
      api: { urn: "urn:pulumi:dev::fleet::pool::api", config: "apiCount", current: 2, min: 1, max: 10, maxStep: 1, schedules: [{ name: "peak", cron: "* * * * *", duration: "1h", min: 4 }] },
      workers: { urn: "urn:pulumi:dev::fleet::pool::workers", config: "workerCount", current: 5, min: 1, max: 10, cooldown: { scaleOut: "1m" } },
    },
  },
  "pulumiscale",
);
const alert = (target: string): ResolvedSignal => ({
  source: "alertmanager",
  reason: "HighCPU firing",
  target,
  adjustment: { type: "change", by: 2 },
  alert: { name: "HighCPU", status: "firing", labels: {}, annotations: {} },
});
const now = new Date("2026-11-26T12:00:00Z");
const memory = { scalings: [{ target: "workers", from: 3, to: 5, at: Date.parse("2026-11-26T11:59:30Z") }], applied: new Map<string, number>() };

describe("renderSummary explains decisions", () => {
  const decisions = decide(policy, [alert("api"), alert("workers")], { now, memory });
  const summary = renderSummary({
    stack: "dev",
    decisions,
    skipped: [{ signal: { source: "cloudwatch", reason: "alarm EXAMPLE", deliveryId: "m-1" }, why: 'redelivery: id "m-1" was already applied by the update of 2026-11-26T11:59:30.000Z' }],
    dryRun: true,
  });

  it.each<[string, string]>([
    ["the table row of a held target", "| workers | 5 | 5 |"],
    ["the table row of a target raised by its schedule", "| api | 2 | 4 |"],
    ["the hold, the scaling that started it and its end", "- `workers`: cooldown.scaleOut (60s) after 3 → 5 at 2026-11-26T11:59:30.000Z, until 2026-11-26T12:00:30.000Z: asked 7, allowed 5"],
    ["the step limit", "- `api`: maxStep 1 limited 4 to 3"],
    ["the schedule floor, named", "- `api`: scheduleMin 4 (schedule peak) limited 3 to 4"],
    ["the open window", "- `api`: peak (min 4, UTC) open since 2026-11-26T12:00:00.000Z, until 2026-11-26T13:00:00.000Z"],
    ["the skipped redelivery", '- cloudwatch: alarm EXAMPLE: redelivery: id "m-1" was already applied by the update of 2026-11-26T11:59:30.000Z'],
  ])("%s", (_name, line) => {
    expect(summary).toContain(line);
  });
});
