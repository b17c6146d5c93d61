import { formatWindowBounds } from "../engine/decide.js";
import type { Decision } from "../engine/decision.js";
import type { SkippedSignal } from "../engine/resolve.js";
import type { ApplyOutcome } from "../apply.js";
import type { UpdateReport } from "../pulumi/runner.js";
import { allSkippedWarning } from "./skipped.js";
import { timingsLine } from "../timings/format.js";
import type { Timings } from "../timings/stages.js";

export interface RunOutcome {
  readonly stack: string;
  readonly decisions: readonly Decision[];
  /** Signals that asked for nothing under the policy, with why. */
  readonly skipped: readonly SkippedSignal[];
  readonly dryRun: boolean;
  /** Replayed by `pulumiscale validate`: decided offline, never applied. */
  readonly offline?: boolean;
  /** Absent when no update ran (nothing changed). */
  readonly update?: UpdateReport;
  readonly gate?: ApplyOutcome["gate"];
  readonly commit?: ApplyOutcome["commit"];
  readonly alreadyAt?: ApplyOutcome["alreadyAt"];
  readonly pluginDownloads?: ApplyOutcome["pluginDownloads"];
  /** Where the time went, from when the condition began to the commit (the `timings` output). */
  readonly timings?: Timings;
  /** What the run could not read but went on without (the CloudWatch re-ask), one line each. */
  readonly warnings?: readonly string[];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The job's step summary, in GitHub-flavoured Markdown. */
export function renderSummary(outcome: RunOutcome): string {
  const mode = outcome.offline ? " (offline replay)" : outcome.dryRun ? " (dry run)" : "";
  const lines = [`### PulumiScale: \`${outcome.stack}\`${mode}`, ""];
  lines.push("| Target | From | To | Why |", "| --- | ---: | ---: | --- |");
  for (const d of outcome.decisions) {
    lines.push(`| ${escapeCell(d.target)} | ${d.from} | ${d.to} | ${escapeCell(d.why)} |`);
  }
  lines.push("");
  const clamps = outcome.decisions.flatMap((d) =>
    d.clamps.map(
      (c) => `- \`${d.target}\`: ${c.limit} ${c.value}${c.schedule === undefined ? "" : ` (schedule ${escapeCell(c.schedule)})`} limited ${c.before} to ${c.after}`,
    ),
  );
  if (clamps.length > 0) lines.push("**Limits applied**", "", ...clamps, "");
  // Cooldowns say which earlier scaling started them, stabilization which recommendation bound it, and when they end.
  const holds = outcome.decisions.flatMap((d) =>
    d.holds.map((h) => {
      const cause = h.limit.startsWith("stabilization.") ? `: ${h.after.to} recommended at ${h.after.at}` : ` after ${h.after.from} → ${h.after.to} at ${h.after.at}`;
      return `- \`${d.target}\`: ${h.limit} (${h.seconds}s)${cause}, until ${h.until}: asked ${h.asked}, allowed ${h.allowed}`;
    }),
  );
  if (holds.length > 0) lines.push("**Held back**", "", ...holds, "");
  const windows = outcome.decisions.flatMap((d) =>
    d.windows.map(
      (w) => `- \`${d.target}\`: ${escapeCell(w.label)} (${formatWindowBounds(w)}, ${w.schedule.timezone}) open since ${w.opened}, until ${w.closes}`,
    ),
  );
  if (windows.length > 0) lines.push("**Schedule windows open**", "", ...windows, "");
  const signals = outcome.decisions.flatMap((d) =>
    d.signals.map((s) => `- \`${d.target}\` ← ${s.source}: ${escapeCell(s.reason)}${s.deliveryId ? ` (id \`${s.deliveryId}\`)` : ""}`),
  );
  if (signals.length > 0) lines.push("**Signals**", "", ...signals, "");
  const skipped = outcome.skipped.map((s) => `- ${s.signal.source}: ${escapeCell(s.signal.reason)}: ${escapeCell(s.why)}`);
  if (skipped.length > 0) lines.push("**Skipped**", "", ...skipped, "");
  const warning = allSkippedWarning(outcome);
  if (warning) lines.push(`> [!WARNING]\n${warning.split("\n").map((line) => `> ${escapeCell(line)}`).join("\n")}`, "");
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
    for (const warning of outcome.update.pendingOperationWarnings) lines.push("", `> [!WARNING]\n> ${escapeCell(warning)}`);
    if (outcome.gate) {
      lines.push(
        "",
        outcome.gate.violations.length === 0
          ? "Preview gate: the targeted preview changes only the targets."
          : `Preview gate: the real update would stop here:\n${outcome.gate.violations.map((v) => `- ${escapeCell(v)}`).join("\n")}`,
      );
    }
    for (const target of outcome.alreadyAt ?? []) {
      lines.push("", `\`${target}\` already ran at the new count when the update came: another run got there first.`);
    }
    if (outcome.commit) lines.push("", commitLine(outcome.commit));
  } else if (outcome.offline) {
    lines.push(
      outcome.decisions.some((d) => d.changed)
        ? "Offline replay: the action would run a targeted update to these counts; nothing was changed."
        : "Offline replay: the action would run no update.",
    );
  } else if (outcome.decisions.length === 0) {
    lines.push("No signal asked this stack for a change: no update was run.");
  } else {
    lines.push("Nothing to change: no update was run.");
  }
  if (outcome.timings && !outcome.offline) lines.push("", `Timings: ${escapeCell(timingsLine(outcome.timings))}.`);
  return lines.join("\n") + "\n";
}

function commitLine(commit: NonNullable<RunOutcome["commit"]>): string {
  switch (commit.status) {
    case "pushed": {
      const { result } = commit;
      const overridden = result.overridden
        .map((o) => `\n- \`${o.key}\` had been changed upstream to ${o.upstream}; the deployed ${o.deployed} was written instead`)
        .join("");
      const via = result.method === "api" ? " through GitHub's API (signed by GitHub)" : "";
      return `Stack config committed to \`${result.branch}\` as ${result.commit.slice(0, 12)}${via}${result.attempts > 1 ? ` (after ${result.attempts} attempts)` : ""}.${overridden}`;
    }
    case "skipped":
      return `Stack config not committed: ${commit.why}.`;
    case "failed":
      return `**Stack config not committed: ${escapeCell(commit.error)}**`;
  }
}
