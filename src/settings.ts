import path from "node:path";
import { InputError } from "./errors.js";

/** The action's inputs, read once and validated. */
export interface Settings {
  /** Stack name as given: `dev`, `org/dev` or `org/project/dev`. */
  readonly stack: string;
  /** Absolute path of the Pulumi project. */
  readonly workDir: string;
  /** Name of the stack output that holds the scaling policy. */
  readonly policyOutput: string;
  readonly dryRun: boolean;
  readonly lockTimeoutMs: number;
  /** Locks older than this are taken for leftovers of dead runs and cleared; never when absent. */
  readonly clearLocksOlderThanMs?: number;
  /** Run a targeted preview first and stop when it would touch more than the targets. */
  readonly previewGate: boolean;
  /** Also update the resources that depend on the targets (`--target-dependents`). */
  readonly targetDependents: boolean;
  /** Commit the stack settings file back: "auto" does when the project is in a git checkout with a remote. */
  readonly commitBack: "auto" | "always" | "never";
  /** Branch to push the commit to; the checkout's branch when absent. */
  readonly commitBranch?: string;
  /** `Name <email>` for the commit (the git method; GitHub's API commits as the token's identity). */
  readonly commitAuthor: string;
  /** How to commit: GitHub's API (signed by GitHub), git push, or the API when it can reach the checkout's repository. */
  readonly commitMethod: "auto" | "api" | "git";
  /** The token for GitHub's API ("" when there is none). */
  readonly githubToken: string;
  /** On a schedule run, re-read the CloudWatch alarms the rules name and re-ask those in ALARM (src/reask/). */
  readonly reaskCloudWatchAlarms?: true;
  /** A scaling asked for through the action's own inputs, overriding the event. */
  readonly inputRequest?: { readonly target: string; readonly delta?: string; readonly count?: string };
}

/** Reads an input the way @actions/core does: "" when unset. */
export type InputReader = (name: string) => string;

const stackName = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;
const duration = /^(\d+)(ms|s|m|h)?$/;
const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

export function parseDuration(name: string, text: string): number {
  const match = duration.exec(text.trim());
  if (!match) throw new InputError(name, text, "a duration such as 90s, 5m or 1h");
  const ms = Number(match[1]) * unitMs[(match[2] ?? "s") as keyof typeof unitMs];
  if (ms > 6 * unitMs.h) throw new InputError(name, text, "a duration of at most 6h (a GitHub job's limit)");
  return ms;
}

export function parseBoolean(name: string, text: string): boolean {
  const value = text.trim().toLowerCase();
  if (["true", "yes", "1"].includes(value)) return true;
  if (["false", "no", "0", ""].includes(value)) return false;
  throw new InputError(name, text, "true or false");
}

/**
 * A lock younger than a minute almost surely belongs to an update that is still running: clearing
 * it would let two updates run at once.
 */
function parseLockAge(text: string): number {
  const ms = parseDuration("clear-locks-older-than", text);
  if (ms < unitMs.m) {
    throw new InputError("clear-locks-older-than", text, "a duration of at least 1m, longer than your longest update");
  }
  return ms;
}

/** GitHub's own identity for commits made by workflows. */
export const DEFAULT_COMMIT_AUTHOR = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>";

function parseCommitBack(text: string): Settings["commitBack"] {
  const value = text.trim().toLowerCase();
  if (value === "" || value === "auto") return "auto";
  if (["true", "yes", "1"].includes(value)) return "always";
  if (["false", "no", "0"].includes(value)) return "never";
  throw new InputError("commit-back", text, "auto, true or false");
}

function parseCommitMethod(text: string): Settings["commitMethod"] {
  const value = text.trim().toLowerCase();
  if (value === "") return "auto";
  if (value === "auto" || value === "api" || value === "git") return value;
  throw new InputError("commit-method", text, "auto, api or git");
}

/** Parses every input; `cwd` resolves a relative work-dir (GitHub's workspace). */
export function readSettings(input: InputReader, cwd: string): Settings {
  const stack = input("stack").trim();
  if (!stackName.test(stack)) {
    throw new InputError("stack", stack, "a stack name such as prod, my-org/prod or my-org/my-project/prod");
  }
  const workDir = path.resolve(cwd, input("work-dir").trim() || ".");
  const policyOutput = input("policy-output").trim() || "pulumiscale";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(policyOutput)) {
    throw new InputError("policy-output", policyOutput, "the name of a stack output, such as pulumiscale");
  }
  const target = input("target").trim();
  const delta = input("delta").trim();
  const count = input("count").trim();
  if (delta && count) throw new InputError("count", count, "nothing when delta is also given (give one of them)");
  if ((delta || count) && !target) throw new InputError("target", target, "a target name when delta or count is given");
  if (target && !delta && !count) throw new InputError("delta", delta, "a delta or a count when target is given");
  const clearLocks = input("clear-locks-older-than").trim();
  const commitBranch = input("commit-branch").trim();
  if (commitBranch && !/^[A-Za-z0-9._/-]+$/.test(commitBranch)) {
    throw new InputError("commit-branch", commitBranch, "a branch name such as main");
  }
  const commitAuthor = input("commit-author").trim() || DEFAULT_COMMIT_AUTHOR;
  if (!/^[^<>]+<[^<>\s]+@[^<>\s]+>$/.test(commitAuthor)) {
    throw new InputError("commit-author", commitAuthor, "Name <email>");
  }
  return {
    stack,
    workDir,
    policyOutput,
    dryRun: parseBoolean("dry-run", input("dry-run")),
    lockTimeoutMs: parseDuration("lock-timeout", input("lock-timeout") || "2m"),
    ...(clearLocks ? { clearLocksOlderThanMs: parseLockAge(clearLocks) } : {}),
    previewGate: parseBoolean("preview-gate", input("preview-gate") || "true"),
    targetDependents: parseBoolean("target-dependents", input("target-dependents")),
    commitBack: parseCommitBack(input("commit-back")),
    ...(commitBranch ? { commitBranch } : {}),
    commitAuthor,
    commitMethod: parseCommitMethod(input("commit-method")),
    githubToken: input("github-token").trim(),
    ...(parseBoolean("reask-cloudwatch-alarms", input("reask-cloudwatch-alarms")) ? { reaskCloudWatchAlarms: true as const } : {}),
    ...(target ? { inputRequest: { target, ...(delta ? { delta } : {}), ...(count ? { count } : {}) } } : {}),
  };
}
