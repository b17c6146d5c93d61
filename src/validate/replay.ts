import { decide } from "../engine/decide.js";
import { emptyMemory } from "../engine/memory.js";
import { resolveSignals } from "../engine/resolve.js";
import { isScheduleRun, signalsFromEvent, type WorkflowEvent } from "../event.js";
import type { Policy } from "../policy/schema.js";
import type { RunOutcome } from "../report/summary.js";
import { readSettings } from "../settings.js";

/** The stack a replay runs as when neither --stack nor the event names one. */
export const DEFAULT_REPLAY_STACK = "validate";

/**
 * Decides one event against the policy exactly as a run of the action would, from the policy's
 * current counts, with no memory of earlier runs (no cooldown holds, no redeliveries): the same
 * adapters, rule resolution and engine, stopped before anything is applied.
 */
export function replay(policy: Policy, event: WorkflowEvent, options: { readonly stack?: string; readonly now: Date }): RunOutcome {
  const stack = options.stack ?? payloadStack(event) ?? DEFAULT_REPLAY_STACK;
  // The action's own input parsing, with every input but the stack at its default.
  const settings = readSettings((name) => (name === "stack" ? stack : ""), process.cwd());
  const signals = signalsFromEvent(event, settings);
  const resolution = resolveSignals(policy, signals, settings.policyOutput);
  const decisions = decide(policy, resolution.resolved, { now: options.now, memory: emptyMemory, evaluateSchedules: isScheduleRun(event, settings) });
  return { stack, decisions, skipped: resolution.skipped, dryRun: false, offline: true };
}

function payloadStack(event: WorkflowEvent): string | undefined {
  const clientPayload = event.payload["client_payload"];
  if (typeof clientPayload !== "object" || clientPayload === null) return undefined;
  const stack = (clientPayload as Record<string, unknown>)["stack"];
  return typeof stack === "string" ? stack : undefined;
}
