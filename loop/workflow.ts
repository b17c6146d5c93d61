// A workflow run of examples/workflows/scale.yml: check out the repository, then the action's step,
// run exactly as a runner runs it (`node dist/index.js`, INPUT_*, the event file, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY), with commit-back to the bare remote.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startAction, type ActionRun, type FleetStack } from "../test/support/fleet.ts";
import type { GroupRun } from "./concurrency-group.ts";
import type { AcceptedDispatch } from "./github.ts";

export interface WorkflowRun extends GroupRun {
  readonly dispatch: AcceptedDispatch;
  readonly queuedAt: number;
  startedAt?: number;
  endedAt?: number;
  result?: ActionRun;
  /** When the push of its commit reached the remote (the remote's post-receive hook). */
  committedAt?: number;
}

/** The remote's post-receive hook appends `<ms since the epoch> <new sha>` per push to this file. */
export function installPushLog(fleet: FleetStack, logFile: string): void {
  const hook = path.join(fleet.remote!, "hooks", "post-receive");
  writeFileSync(hook, ["#!/bin/sh", "while read old new ref; do", `  echo "$(date +%s%3N) $new" >> '${logFile}'`, "done", ""].join("\n"));
  chmodSync(hook, 0o755);
}

export function readPushLog(logFile: string): { at: number; sha: string }[] {
  let text = "";
  try {
    text = readFileSync(logFile, "utf8");
  } catch {
    return [];
  }
  return text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [at, sha] = line.split(" ");
      return { at: Number(at), sha: sha ?? "" };
    });
}

/** Runs the workflow's steps for one accepted dispatch. */
export async function executeWorkflowRun(fleet: FleetStack, run: WorkflowRun, pushLog: string): Promise<void> {
  run.startedAt = Date.now();
  // actions/checkout: the run works on what the remote's main holds.
  fleet.git(["fetch", "--quiet", "origin", "main"]);
  fleet.git(["reset", "--quiet", "--hard", "origin/main"]);
  const event = {
    action: run.dispatch.body.event_type,
    client_payload: run.dispatch.body.client_payload,
    repository: { full_name: "acme/fleet", name: "fleet", owner: { login: "acme" } },
  };
  const { done } = startAction(fleet, {
    eventName: "repository_dispatch",
    event,
    inputs: { "commit-back": "true", "lock-timeout": "5m" },
    env: { GITHUB_REPOSITORY: "acme/fleet", GITHUB_RUN_ID: String(run.id), GITHUB_REF: "refs/heads/main" },
  });
  run.result = await done;
  run.endedAt = Date.now();
  const sha = /committed to `main` as ([0-9a-f]{12})/.exec(run.result.summary)?.[1];
  if (sha) run.committedAt = readPushLog(pushLog).find((push) => push.sha.startsWith(sha))?.at;
}
