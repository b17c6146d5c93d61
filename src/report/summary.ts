import type { Decision } from "../engine/decision.js";
import type { SkippedSignal } from "../engine/resolve.js";
import type { UpdateReport } from "../pulumi/runner.js";

export interface RunOutcome {
  readonly stack: string;
  readonly decisions: readonly Decision[];
  /** Signals that asked for nothing under the policy, with why. */
  readonly skipped: readonly SkippedSignal[];
  readonly dryRun: boolean;
  /** Absent when no update ran (nothing changed). */
  readonly update?: UpdateReport;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The job's step summary, in GitHub-flavoured Markdown. */
export function renderSummary(outcome: RunOutcome): string {
  const lines = [`### PulumiScale: \`${outcome.stack}\`${outcome.dryRun ? " (dry run)" : ""}`, ""];
  lines.push("| Target | From | To | Why |", "| --- | ---: | ---: | --- |");
  for (const d of outcome.decisions) {
    lines.push(`| ${escapeCell(d.target)} | ${d.from} | ${d.to} | ${escapeCell(d.why)} |`);
  }
  lines.push("");
  const clamps = outcome.decisions.flatMap((d) =>
    d.clamps.map((c) => `- \`${d.target}\`: ${c.limit} ${c.value} limited ${c.before} to ${c.after}`),
  );
  if (clamps.length > 0) lines.push("**Limits applied**", "", ...clamps, "");
  const signals = outcome.decisions.flatMap((d) =>
    d.signals.map((s) => `- \`${d.target}\` ← ${s.source}: ${escapeCell(s.reason)}${s.deliveryId ? ` (id \`${s.deliveryId}\`)` : ""}`),
  );
  if (signals.length > 0) lines.push("**Signals**", "", ...signals, "");
  const skipped = outcome.skipped.map((s) => `- ${s.signal.source}: ${escapeCell(s.signal.reason)}: ${escapeCell(s.why)}`);
  if (skipped.length > 0) lines.push("**Skipped**", "", ...skipped, "");
  if (outcome.update) {
    const ops = Object.entries(outcome.update.operations)
      .filter(([, n]) => n > 0)
      .map(([op, n]) => `${op} ${n}`)
      .join(", ");
    const verb = outcome.update.kind === "preview" ? "Targeted preview" : "Targeted update";
    lines.push(
      `${verb}: ${ops || "no operations"} in ${(outcome.update.durationMs / 1000).toFixed(1)}s` +
        (outcome.update.attempts > 1 ? ` after ${outcome.update.attempts} attempts (stack was locked)` : "") +
        ".",
    );
  } else if (outcome.decisions.length === 0) {
    lines.push("No signal asked this stack for a change: no update was run.");
  } else {
    lines.push("Nothing to change: no update was run.");
  }
  return lines.join("\n") + "\n";
}
