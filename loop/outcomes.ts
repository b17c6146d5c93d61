// What became of each alert that reached the relay, and the loop's two failure counts: flaps (a
// scale-in followed by a scale-out within the stabilization window) and lost alerts (reached the
// relay but changed nothing without a recorded reason).
import type { Scaling } from "./latencies.ts";
import type { RelayLogLine } from "./relay.ts";
import type { WorkflowRun } from "./workflow.ts";

export interface Outcome {
  readonly what: string;
  readonly lost: boolean;
}

interface Decision {
  changed: boolean;
  why?: string;
  holds?: unknown[];
  clamps?: unknown[];
}

export function outcomeOf(run: WorkflowRun): Outcome {
  if (run.state === "superseded") return { what: `replaced while pending by run ${run.supersededBy} (GitHub's concurrency group)`, lost: false };
  if (!run.result) return { what: "never ran", lost: true };
  if (run.result.code !== 0) return { what: `run failed (exit ${run.result.code})`, lost: true };
  const decisions = JSON.parse(run.result.outputs["decisions"] ?? "[]") as Decision[];
  const changed = decisions.find((decision) => decision.changed);
  if (changed) return { what: "scaled", lost: false };
  const why = decisions.map((decision) => decision.why).filter(Boolean);
  if (why.length > 0) return { what: `unchanged: ${why.join("; ")}`, lost: false };
  // No decision at all: the summary must say why each alert was skipped.
  if (/\*\*Skipped\*\*/.test(run.result.summary)) return { what: "unchanged: every alert skipped (see the summary)", lost: false };
  return { what: "unchanged, no reason recorded", lost: true };
}

/** Notifications the relay refused: they reached it and were not forwarded. */
export function refusedByRelay(lines: readonly RelayLogLine[]): RelayLogLine[] {
  return lines.filter((line) => line.message === "not forwarded");
}

export function flapsOf(scalings: readonly Scaling[], stabilizationSeconds: number): number {
  let flaps = 0;
  const ordered = [...scalings].sort((a, b) => (a.at.applied ?? 0) - (b.at.applied ?? 0));
  ordered.forEach((scaling, index) => {
    if (scaling.direction !== "out") return;
    const lastIn = ordered.slice(0, index).reverse().find((earlier) => earlier.direction === "in");
    if (lastIn && (scaling.at.applied ?? 0) - (lastIn.at.applied ?? 0) < stabilizationSeconds * 1000) flaps++;
  });
  return flaps;
}
