import { readFileSync } from "node:fs";
import { parsePayload } from "./adapters/registry.js";
import { PayloadError, type ScalingSignal } from "./adapters/signal.js";
import { InputError, quote } from "./errors.js";
import { SCHEDULE_SOURCE } from "./schedule-source.js";
import type { Settings } from "./settings.js";

/** The workflow event, as the runner provides it. */
export interface WorkflowEvent {
  /** GITHUB_EVENT_NAME */
  readonly name: string;
  /** The parsed contents of GITHUB_EVENT_PATH. */
  readonly payload: Record<string, unknown>;
}

/**
 * Reads the event the runner saved for this job, through @actions/github's `context`. The file
 * is checked first: the context would throw a bare SyntaxError for a malformed file and take a
 * missing one for an empty event, where the step should say which file is wrong and why.
 * @actions/github is imported here, not at the top, because it reads the file as it loads
 * (once per process: the action reads one event).
 */
export async function readWorkflowEvent(): Promise<WorkflowEvent> {
  const file = process.env["GITHUB_EVENT_PATH"];
  if (file) {
    let payload: unknown;
    try {
      payload = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new InputError("GITHUB_EVENT_PATH", file, `a readable JSON event file (${(error as Error).message})`);
    }
    if (!isRecord(payload)) throw new InputError("GITHUB_EVENT_PATH", file, "a file holding a JSON object");
  }
  const { context } = await import("@actions/github");
  return { name: context.eventName ?? "", payload: file ? (context.payload as Record<string, unknown>) : {} };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Turns the event (or the action's own target/delta/count inputs) into scaling signals. A
 * `schedule` event has none: it asks the engine to evaluate the policy's schedules. Pure;
 * every problem is an InputError or a PayloadError naming the field.
 */
export function signalsFromEvent(event: WorkflowEvent, settings: Settings): ScalingSignal[] {
  if (settings.inputRequest) {
    return parsePayload({ ...settings.inputRequest }, "inputs");
  }
  switch (event.name) {
    case "repository_dispatch":
      return fromRepositoryDispatch(event.payload, settings);
    case "workflow_dispatch":
      return fromWorkflowDispatch(event.payload);
    case "schedule":
      // No signal: the engine evaluates the policy's schedules at the run's clock.
      return [];
    default:
      throw new InputError(
        "GITHUB_EVENT_NAME",
        event.name,
        "repository_dispatch, workflow_dispatch or schedule, or the target input with delta or count",
      );
  }
}

function fromRepositoryDispatch(payload: Record<string, unknown>, settings: Settings): ScalingSignal[] {
  const clientPayload = payload["client_payload"];
  if (!isRecord(clientPayload)) {
    throw new PayloadError("client_payload", `expected an object, got ${quote(clientPayload)}`);
  }
  const stack = clientPayload["stack"];
  if (stack !== undefined && (typeof stack !== "string" || !sameStack(stack, settings.stack))) {
    throw new PayloadError(
      "client_payload.stack",
      `expected ${quote(settings.stack)} (the stack input of this step), got ${quote(stack)}`,
    );
  }
  const { stack: _stack, ...rest } = clientPayload;
  // An external timer's tick: no signal, the engine evaluates the schedules (see isScheduleRun).
  if (rest["source"] === SCHEDULE_SOURCE) return [];
  return parsePayload(rest, "client_payload");
}

function fromWorkflowDispatch(payload: Record<string, unknown>): ScalingSignal[] {
  const inputs = isRecord(payload["inputs"]) ? payload["inputs"] : {};
  // Unset workflow inputs arrive as empty strings.
  const given = Object.fromEntries(Object.entries(inputs).filter(([, value]) => value !== "" && value !== null));
  if (given["source"] !== undefined) return scheduleInputs(given);
  if ((given["delta"] === undefined) === (given["count"] === undefined)) {
    const both = given["delta"] !== undefined;
    throw new PayloadError(
      both ? "inputs.count" : "inputs.delta",
      both ? `expected nothing when inputs.delta is also given (give one of them), got ${quote(given["count"])}` : "expected a delta or a count: give one of the two workflow inputs",
    );
  }
  return parsePayload({ target: given["target"], delta: given["delta"], count: given["count"] }, "inputs");
}

/**
 * Whether two spellings name the same stack: `prod`, `my-org/prod` and `my-org/web/prod` all
 * name stack `prod`; segments given on both sides (organization, project) must agree too.
 */
export function sameStack(a: string, b: string): boolean {
  const left = a.split("/").reverse();
  const right = b.split("/").reverse();
  const shared = Math.min(left.length, right.length);
  if (left.length === 2 && right.length === 3) return left[0] === right[0] && left[1] === right[2];
  if (left.length === 3 && right.length === 2) return left[0] === right[0] && left[2] === right[1];
  return left.slice(0, shared).every((segment, index) => segment === right[index]);
}

// `source: schedule`: a dispatch (or a workflow_dispatch whose `source` input says so) that asks
// for exactly what a `schedule` event run does, so a timer outside GitHub's cron (EventBridge,
// the relay's) can drive the policy's schedules: GitHub delays `schedule` runs under load and
// sometimes drops them.
export { SCHEDULE_SOURCE } from "./schedule-source.js";

/** Whether the run evaluates every target's schedules, as a `schedule` event does. */
export function isScheduleRun(event: WorkflowEvent, settings: Pick<Settings, "inputRequest">): boolean {
  if (settings.inputRequest) return false;
  if (event.name === "schedule") return true;
  const holder = event.name === "repository_dispatch" ? event.payload["client_payload"] : event.name === "workflow_dispatch" ? event.payload["inputs"] : undefined;
  return isRecord(holder) && holder["source"] === SCHEDULE_SOURCE;
}

/** workflow_dispatch inputs with `source`: only `schedule`, and then no delta or count. */
function scheduleInputs(given: Record<string, unknown>): ScalingSignal[] {
  if (given["source"] !== SCHEDULE_SOURCE) {
    throw new PayloadError("inputs.source", `expected ${quote(SCHEDULE_SOURCE)} (or nothing, with a delta or a count), got ${quote(given["source"])}`);
  }
  for (const name of ["delta", "count"]) {
    if (given[name] !== undefined) {
      throw new PayloadError(`inputs.${name}`, `expected nothing when inputs.source is "schedule" (a tick evaluates the policy's schedules), got ${quote(given[name])}`);
    }
  }
  return [];
}
