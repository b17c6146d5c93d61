// Schedules driven by a timer outside GitHub's cron: a `source: schedule` dispatch (or a
// workflow_dispatch asking for it) decides exactly as a `schedule` run at the same clock, a
// repeated tick changes nothing twice, a window applied late says by how much, and an alert run
// inside an open window still lands at least on the window's floor.
import type { ResolvedSignal } from "../../src/adapters/signal.js";
import { decide } from "../../src/engine/decide.js";
import { isScheduleRun, signalsFromEvent, type WorkflowEvent } from "../../src/event.js";
import { parsePolicy, type Policy } from "../../src/policy/schema.js";
import type { Settings } from "../../src/settings.js";

const settings: Settings = {
  stack: "acme/web/prod",
  workDir: "/repo",
  policyOutput: "pulumiscale",
  dryRun: false,
  lockTimeoutMs: 1000,
  previewGate: true,
  targetDependents: false,
  commitBack: "auto",
  commitAuthor: "Scaler <scaler@example.com>",
  commitMethod: "auto",
  githubToken: "",
};

// 08:00 on weekdays in Berlin, for ten hours: at least 5 workers. 2026-11-26 is a Thursday.
const morning = { name: "business-hours", cron: "0 8 * * MON-FRI", duration: "10h", timezone: "Europe/Berlin", min: 5 };
const policyAt = (workers: number, api = 2): Policy =>
  parsePolicy(
    {
      version: 1,
      targets: {
        workers: { urn: "urn:pulumi:prod::web::pool::workers", config: "workerCount", current: workers, min: 1, max: 10, schedules: [morning] },
        api: { urn: "urn:pulumi:prod::web::pool::api", config: "apiCount", current: api, min: 1, max: 10, schedules: [{ cron: "0 7 * * *", duration: "1h", timezone: "UTC", count: 3 }] },
      },
    },
    "pulumiscale",
  );

/** One run: the event read as the action reads it, decided at `now`. */
function runAt(event: WorkflowEvent, policy: Policy, now: string, signals: readonly ResolvedSignal[] = []) {
  expect(signalsFromEvent(event, settings)).toEqual([]);
  return decide(policy, signals, { now: new Date(now), evaluateSchedules: isScheduleRun(event, settings) });
}

const scheduleEvent: WorkflowEvent = { name: "schedule", payload: { schedule: "0 7 * * 1-5" } };
const ticks: { name: string; event: WorkflowEvent }[] = [
  { name: "a repository_dispatch with source: schedule", event: { name: "repository_dispatch", payload: { action: "pulumiscale", client_payload: { source: "schedule" } } } },
  {
    name: "a repository_dispatch with source: schedule naming the stack and a tick id",
    event: { name: "repository_dispatch", payload: { action: "pulumiscale", client_payload: { source: "schedule", stack: "acme/web/prod", id: "tick-2026-11-26T07:00" } } },
  },
  { name: "a workflow_dispatch whose source input is schedule", event: { name: "workflow_dispatch", payload: { inputs: { source: "schedule", target: "", delta: "", count: "" } } } },
];

describe("an external tick decides exactly as a schedule run", () => {
  const clocks = ["2026-11-26T07:00:20Z", "2026-11-26T08:30:00Z", "2026-11-26T12:03:00Z", "2026-11-26T18:30:00Z", "2026-11-28T09:00:00Z"];
  test.each(ticks)("$name", ({ event }) => {
    expect(isScheduleRun(event, settings)).toBe(true);
    for (const now of clocks) {
      for (const policy of [policyAt(3), policyAt(7, 1), policyAt(5, 3)]) {
        expect(runAt(event, policy, now)).toEqual(runAt(scheduleEvent, policy, now));
      }
    }
  });

  test("the tick raises the floor without any alert", () => {
    const [api, workers] = runAt(ticks[0]!.event, policyAt(3), "2026-11-26T07:00:20Z");
    expect([api!.target, api!.from, api!.to, workers!.target, workers!.from, workers!.to]).toEqual(["api", 2, 3, "workers", 3, 5]);
  });

  test("a tick for another stack is refused, naming the field", () => {
    const event: WorkflowEvent = { name: "repository_dispatch", payload: { client_payload: { source: "schedule", stack: "acme/web/staging" } } };
    expect(() => signalsFromEvent(event, settings)).toThrow('client_payload.stack: expected "acme/web/prod" (the stack input of this step), got "acme/web/staging"');
  });

  test.each([
    [{ source: "nightly" }, 'inputs.source: expected "schedule" (or nothing, with a delta or a count), got "nightly"'],
    [{ source: "schedule", delta: "+2" }, 'inputs.delta: expected nothing when inputs.source is "schedule" (a tick evaluates the policy\'s schedules), got "+2"'],
  ])("workflow_dispatch inputs %j are refused", (inputs, message) => {
    expect(() => signalsFromEvent({ name: "workflow_dispatch", payload: { inputs } }, settings)).toThrow(message);
  });

  test("the action's own target input is a request, not a tick", () => {
    expect(isScheduleRun(ticks[0]!.event, { inputRequest: { target: "workers", delta: "+1" } })).toBe(false);
  });
});

describe("a repeated tick changes nothing twice", () => {
  test.each(ticks)("$name, delivered three times", ({ event }) => {
    let policy = policyAt(3);
    const changes: string[] = [];
    for (const now of ["2026-11-26T07:00:20Z", "2026-11-26T07:00:21Z", "2026-11-26T07:05:00Z"]) {
      const decisions = runAt(event, policy, now);
      for (const d of decisions.filter((d) => d.changed)) changes.push(`${d.target} ${d.from} → ${d.to}`);
      // What the run applied is what the next one reads as deployed.
      const counts = Object.fromEntries(decisions.map((d) => [d.target, d.to]));
      policy = policyAt(counts["workers"] ?? 3, counts["api"] ?? 2);
    }
    expect(changes).toEqual(["api 2 → 3", "workers 3 → 5"]);
  });
});

describe("a window applied late says by how much", () => {
  test.each([
    ["on time: 20 s after it opened", "2026-11-26T07:00:20Z", 20, "applied 20 s after it opened"],
    ["a delayed schedule run: 17 min 5 s", "2026-11-26T07:17:05Z", 17 * 60 + 5, "applied 17 min 5 s after it opened"],
    ["the cron run was dropped; the next tick came 4 h 3 min later", "2026-11-26T11:03:00Z", 4 * 3600 + 180, "applied 4 h 3 min after it opened"],
  ])("%s", (_name, now, seconds, text) => {
    const workers = runAt(scheduleEvent, policyAt(3), now).find((d) => d.target === "workers")!;
    expect(workers.clamps).toEqual([{ limit: "scheduleMin", value: 5, before: 3, after: 5, schedule: "business-hours", lateSeconds: seconds }]);
    expect(workers.why).toContain(`scheduleMin 5 (schedule business-hours, ${text}) turned 3 into 5`);
  });

  test("a window that was already applied is not late: the floor holds, and no lateness is claimed", () => {
    const workers = runAt(scheduleEvent, policyAt(5), "2026-11-26T11:03:00Z").find((d) => d.target === "workers")!;
    expect(workers.changed).toBe(false);
    expect(workers.clamps.every((clamp) => clamp.lateSeconds === undefined)).toBe(true);
    expect(workers.why).not.toContain("after it opened");
  });
});

describe("an alert run inside an open window lands at least on the window's floor", () => {
  const alert = (by: number): ResolvedSignal => ({
    source: "alertmanager",
    reason: by > 0 ? "HighCPU firing" : "LowCPU firing",
    target: "workers",
    adjustment: { type: "change", by },
    alert: { name: by > 0 ? "HighCPU" : "LowCPU", status: "firing", labels: {}, annotations: {} },
  });
  const alertEvent: WorkflowEvent = { name: "repository_dispatch", payload: { client_payload: { source: "alertmanager" } } };

  test.each([
    // deployed, alert delta, expected: the floor of 5 wins over a smaller scale-out and every scale-in.
    [3, +1, 5, "the missed window's floor is applied by the alert run"],
    [3, +4, 7, "a scale-out past the floor goes through"],
    [6, -3, 5, "a scale-in stops at the floor"],
    [5, -1, 5, "at the floor, a scale-in changes nothing"],
  ])("deployed %i, alert %i → %i: %s", (deployed, by, expected) => {
    const decisions = decide(policyAt(deployed), [alert(by)], { now: new Date("2026-11-26T09:30:00Z"), evaluateSchedules: isScheduleRun(alertEvent, settings) });
    expect(decisions.map((d) => [d.target, d.to])).toEqual([["workers", expected]]);
  });
});
