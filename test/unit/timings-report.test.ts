// The timings line where people read it: the step summary and the update message, whose record
// line later runs still find as their memory.
import type { Decision } from "../../src/engine/decision.js";
import { readRecord } from "../../src/engine/record.js";
import { updateMessage } from "../../src/report/message.js";
import { renderSummary } from "../../src/report/summary.js";
import { measureTimings } from "../../src/timings/stages.js";

const decision: Decision = {
  target: "workers",
  urn: "urn:pulumi:prod::web::pool::workers",
  configKey: "workerCount",
  from: 3,
  direction: "out",
  proposed: 5,
  to: 5,
  changed: true,
  signals: [{ source: "alertmanager", reason: "HighCPU firing", target: "workers", adjustment: { type: "change", by: 2 }, deliveryId: "g|f|t|firing", deliveryIdKind: "occurrence", began: "2026-12-02T08:00:03.000Z" }],
  holds: [],
  clamps: [],
  windows: [],
  alertAdded: 2,
  why: "workers 3 → 5 (alertmanager: HighCPU firing)",
};

const timings = measureTimings({
  alertBegan: "2026-12-02T08:00:03Z",
  relayDispatched: "2026-12-02T08:00:34Z",
  runStarted: "2026-12-02T08:00:49Z",
  applied: "2026-12-02T08:01:02Z",
  committed: "2026-12-02T08:01:04Z",
});

describe("the timings in the report", () => {
  it("the step summary has one line of them", () => {
    const summary = renderSummary({ stack: "acme/web/prod", decisions: [decision], skipped: [], dryRun: false, timings });
    const lines = summary.split("\n").filter((line) => line.startsWith("Timings: "));
    expect(lines).toEqual(["Timings: alert began 08:00:03 → dispatched 08:00:34 → run started 08:00:49 → applied 08:01:02 → committed 08:01:04, 61 s in all (UTC); longest: alert began → dispatched 31 s."]);
  });

  it("an offline replay shows none", () => {
    expect(renderSummary({ stack: "acme/web/prod", decisions: [decision], skipped: [], dryRun: false, offline: true, timings })).not.toContain("Timings:");
  });

  it("the update message carries them before the record, which later runs still read", () => {
    const message = updateMessage([decision], timings);
    const lines = message.split("\n");
    expect(lines).toContain("Timings: alert began 08:00:03 → dispatched 08:00:34 → run started 08:00:49 → applied 08:01:02 → committed 08:01:04, 61 s in all (UTC); longest: alert began → dispatched 31 s");
    expect(readRecord(message)).toEqual(readRecord(updateMessage([decision])));
    expect(lines.at(-1)).toMatch(/^pulumiscale-record: /);
  });
});
