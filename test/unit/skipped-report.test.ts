// When the all-skipped warning shows, and what the skipped output holds.
import type { ScalingSignal } from "../../src/adapters/signal.js";
import type { Decision } from "../../src/engine/decision.js";
import type { SkippedSignal } from "../../src/engine/resolve.js";
import { allSkippedWarning, skippedOutput } from "../../src/report/skipped.js";

const alert = (status: "firing" | "resolved" | "no-data"): ScalingSignal => ({
  source: "alertmanager",
  reason: `HighCPU ${status}`,
  deliveryId: `group|fp|${status}`,
  deliveryIdKind: "occurrence",
  alert: { name: "HighCPU", status, labels: {}, annotations: {} },
});
const skip = (signal: ScalingSignal, why = "no rule matches"): SkippedSignal => ({ signal, why });
const decided = { signals: [{ ...alert("firing"), target: "workers", adjustment: { type: "delta", delta: 1 } }] } as unknown as Decision;

describe("allSkippedWarning", () => {
  it("names each skipped signal and why when a firing alert was among them", () => {
    const warning = allSkippedWarning({ decisions: [], skipped: [skip(alert("firing")), skip(alert("resolved"), "resolved alerts change nothing")] });
    expect(warning).toContain("Every signal was skipped, so nothing was scaled (2 signals):");
    expect(warning).toContain("- alertmanager: HighCPU firing: no rule matches");
    expect(warning).toContain("- alertmanager: HighCPU resolved: resolved alerts change nothing");
    expect(warning).toContain("npx pulumiscale validate");
  });

  it.each<[string, Parameters<typeof allSkippedWarning>[0]]>([
    ["no signal at all (a schedule run)", { decisions: [], skipped: [] }],
    ["another signal was decided", { decisions: [decided], skipped: [skip(alert("firing"))] }],
    ["only resolutions and missing data", { decisions: [], skipped: [skip(alert("resolved")), skip(alert("no-data"))] }],
    ["only a redelivery", { decisions: [], skipped: [skip({ source: "delta", reason: "+1", deliveryId: "req-1" }, 'redelivery: id "req-1" was already applied')] }],
  ])("stays quiet when %s", (_name, outcome) => {
    expect(allSkippedWarning(outcome)).toBeUndefined();
  });
});

describe("skippedOutput", () => {
  it("is [] when nothing was skipped", () => {
    expect(skippedOutput([])).toBe("[]");
  });

  it("holds source, reason, why and what is known of the alert", () => {
    expect(JSON.parse(skippedOutput([skip({ ...alert("firing"), target: "wrokers" }, "names target wrokers")]))).toEqual([
      { source: "alertmanager", reason: "HighCPU firing", why: "names target wrokers", target: "wrokers", deliveryId: "group|fp|firing", alert: "HighCPU", status: "firing" },
    ]);
  });
});
