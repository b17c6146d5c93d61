import { readFileSync } from "node:fs";
import * as core from "@actions/core";
import { PayloadError } from "./adapters/signal.js";
import { decide } from "./engine/decide.js";
import { resolveSignals } from "./engine/resolve.js";
import { ActionError, InputError } from "./errors.js";
import { signalsFromEvent, type WorkflowEvent } from "./event.js";
import { parsePolicy } from "./policy/schema.js";
import { CliRunner } from "./pulumi/cli-runner.js";
import type { PulumiRunner } from "./pulumi/runner.js";
import { updateMessage } from "./report/message.js";
import { actionOutputs } from "./report/outputs.js";
import { renderSummary, type RunOutcome } from "./report/summary.js";
import { readSettings, type Settings } from "./settings.js";

/** Reads the event the runner saved for this job. */
function readWorkflowEvent(env: NodeJS.ProcessEnv): WorkflowEvent {
  const name = env["GITHUB_EVENT_NAME"] ?? "";
  const file = env["GITHUB_EVENT_PATH"];
  if (!file) return { name, payload: {} };
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InputError("GITHUB_EVENT_PATH", file, `a readable JSON event file (${(error as Error).message})`);
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new InputError("GITHUB_EVENT_PATH", file, "a file holding a JSON object");
  }
  return { name, payload: payload as Record<string, unknown> };
}

/** One scaling run: event → signals → decisions → targeted update → outputs and summary. */
export async function scale(
  settings: Settings,
  event: WorkflowEvent,
  openRunner: (settings: Settings) => Promise<PulumiRunner>,
): Promise<RunOutcome> {
  // Everything that can be checked without Pulumi is checked first: bad input changes nothing.
  const signals = signalsFromEvent(event, settings);
  const runner = await openRunner(settings);
  const outputs = await runner.readOutputs(settings.policyOutput);
  const policy = parsePolicy(outputs[settings.policyOutput], settings.policyOutput);
  const { resolved, skipped } = resolveSignals(policy, signals, settings.policyOutput);
  const decisions = decide(policy, resolved);
  const changed = decisions.filter((decision) => decision.changed);
  if (changed.length === 0) {
    return { stack: settings.stack, decisions, skipped, dryRun: settings.dryRun };
  }
  const update = await runner.update({
    changes: changed.map((decision) => ({ key: decision.configKey, value: decision.to })),
    urns: changed.map((decision) => decision.urn),
    message: updateMessage(decisions),
    dryRun: settings.dryRun,
  });
  return { stack: settings.stack, decisions, skipped, dryRun: settings.dryRun, update };
}

/** The action's entry point; owns the only try/catch and sets the job's result. */
export async function run(): Promise<void> {
  try {
    const settings = readSettings((name) => core.getInput(name), process.env["GITHUB_WORKSPACE"] ?? process.cwd());
    const event = readWorkflowEvent(process.env);
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
        }),
    );
    for (const [name, value] of Object.entries(actionOutputs(outcome.decisions))) core.setOutput(name, value);
    for (const decision of outcome.decisions) core.info(decision.why);
    for (const { signal, why } of outcome.skipped) core.info(`Skipped ${signal.source}: ${signal.reason}: ${why}`);
    await core.summary.addRaw(renderSummary(outcome)).write();
  } catch (error) {
    if (error instanceof InputError || error instanceof PayloadError || error instanceof ActionError) {
      core.setFailed(error.message);
    } else {
      core.setFailed(`Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}
