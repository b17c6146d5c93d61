import * as core from "@actions/core";
import { PayloadError } from "./adapters/signal.js";
import { applyDecisions, commitFailureMessage } from "./apply.js";
import { decide } from "./engine/decide.js";
import { dropRedeliveries, HISTORY_DEPTH, readMemory } from "./engine/memory.js";
import { readRecommendationTags, recommendationTags } from "./engine/recommendation-tags.js";
import { resolveSignals } from "./engine/resolve.js";
import { ActionError, InputError } from "./errors.js";
import { readWorkflowEvent, signalsFromEvent, type WorkflowEvent } from "./event.js";
import { parsePolicy, type Policy } from "./policy/schema.js";
import { CliRunner } from "./pulumi/cli-runner.js";
import type { PulumiRunner } from "./pulumi/runner.js";
import { reaskWithRunnerCredentials } from "./reask/from-environment.js";
import type { Reasked } from "./reask/reask.js";
import { actionOutputs } from "./report/outputs.js";
import { allSkippedWarning, skippedOutput } from "./report/skipped.js";
import { renderSummary, type RunOutcome } from "./report/summary.js";
import { readSettings, type Settings } from "./settings.js";
import { isScheduleRun } from "./event.js";
import { pluginDownloadWarning } from "./pulumi/plugin-downloads.js";
import { eventInstants } from "./timings/event.js";
import { measureTimings } from "./timings/stages.js";

/** One scaling run: event → signals → decisions → targeted update → outputs and summary. */
export async function scale(
  settings: Settings,
  event: WorkflowEvent,
  openRunner: (settings: Settings) => Promise<PulumiRunner>,
  options: {
    readonly signal?: AbortSignal;
    /** When the job's run started: the first instant of the `timings` output the run stamps itself. */
    readonly runStarted?: Date;
    /** Re-reads the alarms the rules name, on schedule runs (the `reask-cloudwatch-alarms` input). */
    readonly reask?: (policy: Policy) => Promise<Reasked>;
  } = {},
): Promise<RunOutcome> {
  const { signal, runStarted = new Date(), reask } = options;
  // Everything that can be checked without Pulumi is checked first: bad input changes nothing.
  const signals = signalsFromEvent(event, settings);
  const instants = { ...eventInstants(event.payload, signals), runStarted: runStarted.toISOString() };
  const runner = await openRunner(settings);
  // The stack's update history is the memory of earlier runs (cooldowns, applied delivery ids);
  // its tags hold the recommendations of runs that changed nothing (stabilization).
  const [outputs, history, tags] = await Promise.all([
    runner.readOutputs(settings.policyOutput),
    runner.readHistory(HISTORY_DEPTH),
    runner.readStackTags?.() ?? Promise.resolve({}),
  ]);
  const policy = parsePolicy(outputs[settings.policyOutput], settings.policyOutput);
  const fromHistory = readMemory(history);
  const tagged = readRecommendationTags(tags);
  const memory = { ...fromHistory, recommendations: [...(fromHistory.recommendations ?? []), ...tagged] };
  // CloudWatch notifies once per state change: on the schedule, alarms still in ALARM ask again.
  const reasked = isScheduleRun(event, settings) && reask ? await reask(policy) : { signals: [], warnings: [] };
  const warnings = reasked.warnings.length > 0 ? { warnings: reasked.warnings } : {};
  const { fresh, redelivered } = dropRedeliveries([...signals, ...reasked.signals], memory);
  const resolution = resolveSignals(policy, fresh, settings.policyOutput);
  const skipped = [...redelivered, ...resolution.skipped];
  const now = new Date();
  const decisions = decide(policy, resolution.resolved, { now, memory, evaluateSchedules: isScheduleRun(event, settings) });
  const remember = recommendationTags(policy, decisions, tagged, tags, now.getTime());
  if (!settings.dryRun && Object.keys(remember).length > 0) await runner.writeStackTags?.(remember);
  if (!decisions.some((decision) => decision.changed)) {
    return { stack: settings.stack, decisions, skipped, dryRun: settings.dryRun, timings: measureTimings(instants), ...warnings };
  }
  if (signal?.aborted) {
    throw new ActionError("The run was cancelled before the update started; nothing was changed.");
  }
  const applied = await applyDecisions(runner, settings, policy, decisions, signal, process.env, instants);
  return { stack: settings.stack, decisions, skipped, dryRun: settings.dryRun, ...applied, timings: measureTimings(applied.instants ?? instants), ...warnings };
}

/** The action's entry point; owns the only try/catch and sets the job's result. */
export async function run(): Promise<void> {
  const runStarted = new Date();
  // A cancelled job gets SIGINT, then SIGTERM: stop the Pulumi operation cleanly so it releases
  // the stack lock, instead of dying with it.
  const cancel = new AbortController();
  const onSignal = (name: string) => {
    if (!cancel.signal.aborted) core.warning(`Received ${name}: stopping the Pulumi operation.`);
    cancel.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const settings = readSettings((name) => core.getInput(name), process.env["GITHUB_WORKSPACE"] ?? process.cwd());
    const event = await readWorkflowEvent();
    const outcome = await scale(
      settings,
      event,
      async (s) =>
        new CliRunner({
          stack: s.stack,
          workDir: s.workDir,
          lockTimeoutMs: s.lockTimeoutMs,
          log: (text) => process.stdout.write(text),
          ...(process.env["RUNNER_TEMP"] ? { tempDir: process.env["RUNNER_TEMP"] } : {}),
          ...(s.clearLocksOlderThanMs !== undefined ? { clearLocksOlderThanMs: s.clearLocksOlderThanMs } : {}),
          maskSecret: (value) => core.setSecret(value),
        }),
      {
        signal: cancel.signal,
        runStarted,
        ...(settings.reaskCloudWatchAlarms ? { reask: reaskWithRunnerCredentials(process.env, settings.policyOutput) } : {}),
      },
    );
    for (const warning of outcome.warnings ?? []) core.warning(warning, { title: "PulumiScale could not re-read a CloudWatch alarm" });
    for (const [name, value] of Object.entries(actionOutputs(outcome.decisions))) core.setOutput(name, value);
    core.setOutput("skipped", skippedOutput(outcome.skipped));
    core.setOutput("timings", JSON.stringify(outcome.timings ?? {}));
    const downloads = pluginDownloadWarning(outcome.pluginDownloads ?? []);
    if (downloads) core.warning(downloads, { title: "PulumiScale downloaded Pulumi plugins" });
    for (const decision of outcome.decisions) core.info(decision.why);
    for (const { signal, why } of outcome.skipped) core.info(`Skipped ${signal.source}: ${signal.reason}: ${why}`);
    // A green run that scaled nothing for a firing alert must not pass unnoticed.
    const warning = allSkippedWarning(outcome);
    if (warning) core.warning(warning, { title: "PulumiScale scaled nothing" });
    await core.summary.addRaw(renderSummary(outcome)).write();
    if (outcome.commit?.status === "failed") core.setFailed(commitFailureMessage(settings, outcome.decisions, outcome.commit.error));
  } catch (error) {
    if (error instanceof InputError || error instanceof PayloadError || error instanceof ActionError) {
      core.setFailed(error.message);
    } else {
      core.setFailed(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
