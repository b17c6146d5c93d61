import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Git, GitError } from "./git.js";

/** Where a scaling's config change must land for the next `pulumi up` to read it. */
export interface CommitBackRequest {
  /** The checkout that holds the settings file (see findCheckout). */
  readonly checkout: { readonly root: string; readonly remote: string };
  /** The stack settings file in the job's checkout, already holding the new counts. */
  readonly settingsFile: string;
  /** The config keys the scaling changed, as written in the file (`project:key`), with their values. */
  readonly changes: readonly { readonly key: string; readonly value: number }[];
  readonly message: string;
  /** `Name <email>` of the commit's author and committer. */
  readonly author: string;
  /** Branch to push to; the checkout's branch when absent. */
  readonly branch?: string;
  readonly maxAttempts?: number;
  /**
   * Reads what is deployed now, by config key. Used when a scaled key changed upstream: another
   * run (or person) got there in between, and the file must say what really runs.
   */
  readonly readDeployed: () => Promise<Readonly<Record<string, number>>>;
}

export interface CommitBackResult {
  readonly commit: string;
  readonly branch: string;
  readonly attempts: number;
  /** Keys that someone else had changed upstream in the meantime: the deployed value replaced theirs. */
  readonly overridden: readonly { readonly key: string; readonly upstream: string; readonly deployed: number }[];
}

/** A push that keeps failing, or git refusing: the caller explains how to reconcile. */
export class CommitBackError extends Error {
  override readonly name = "CommitBackError";
}

/**
 * Finds the git checkout that holds `dir` and its `origin` remote; undefined when there is none
 * (then there is nothing to commit back to).
 */
export async function findCheckout(dir: string): Promise<{ root: string; remote: string } | undefined> {
  const git = new Git(dir);
  const inside = await git.run(["rev-parse", "--show-toplevel"], { allowFailure: true });
  if (inside.exitCode !== 0) return undefined;
  const remote = await git.run(["remote", "get-url", "origin"], { allowFailure: true });
  if (remote.exitCode !== 0) return undefined;
  return { root: inside.stdout.trim(), remote: remote.stdout.trim() };
}

/** The value of `key` in a stack settings file, as text, for the plain scalars PulumiScale writes. */
export function readConfigScalar(yaml: string, key: string): string | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`^\\s+${escaped}:\\s*"?([^"\\n]*?)"?\\s*$`, "m").exec(yaml);
  return match?.[1];
}

/** Sets plain scalar `key: "value"` lines under `config:`, adding the line when it is missing. */
export function writeConfigScalar(yaml: string, key: string, value: string): string {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const line = new RegExp(`^(\\s+)${escaped}:.*$`, "m");
  if (line.test(yaml)) return yaml.replace(line, (_all, indent: string) => `${indent}${key}: "${value}"`);
  if (/^config:\s*$/m.test(yaml)) return yaml.replace(/^config:\s*$/m, `config:\n  ${key}: "${value}"`);
  return `${yaml.replace(/\s*$/, "\n")}config:\n  ${key}: "${value}"\n`;
}

/**
 * Commits the stack settings file to `origin` without touching the job's checkout: each attempt
 * fetches the branch, applies the change in a temporary worktree on top of it and pushes. When
 * the file did not change upstream, the checkout's file is taken as it is; when it did, only the
 * scaled keys are written into the upstream file; a scaled key that changed upstream (another
 * run or a person got there in between) gets the value deployed now, read again, because the
 * config must say what runs; a differing upstream value is reported in `overridden`. A rejected
 * push (someone pushed in between) is retried from a fresh fetch.
 */
export async function commitBack(request: CommitBackRequest): Promise<CommitBackResult> {
  const { checkout } = request;
  const match = /^(.*?)\s*<([^>]+)>$/.exec(request.author.trim());
  const identity = match ? { name: match[1]!, email: match[2]! } : { name: request.author.trim(), email: "" };
  const env = {
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
  };
  const git = new Git(checkout.root, env);
  const relative = path.relative(checkout.root, request.settingsFile);
  const branch = request.branch ?? (await git.run(["symbolic-ref", "--short", "HEAD"], { allowFailure: true })).stdout.trim();
  if (!branch) throw new CommitBackError("the checkout is on a detached HEAD: set the commit-branch input");
  const base = (await git.run(["show", `HEAD:${relative}`], { allowFailure: true })).stdout;
  const ours = readFileSync(request.settingsFile, "utf8");
  const maxAttempts = request.maxAttempts ?? 5;

  for (let attempt = 1; ; attempt++) {
    await git.run(["fetch", "--quiet", "origin", `+refs/heads/${branch}:refs/pulumiscale/upstream`]);
    const upstream = (await git.run(["show", `refs/pulumiscale/upstream:${relative}`], { allowFailure: true })).stdout;
    const overridden: CommitBackResult["overridden"][number][] = [];
    let content = ours;
    if (upstream !== base) {
      content = upstream;
      const changedUpstream = request.changes.filter((change) => readConfigScalar(upstream, change.key) !== readConfigScalar(base, change.key));
      const deployed = changedUpstream.length > 0 ? await request.readDeployed() : {};
      for (const change of request.changes) {
        const theirs = readConfigScalar(upstream, change.key);
        const value = deployed[change.key] ?? change.value;
        if (changedUpstream.includes(change) && theirs !== String(value)) {
          overridden.push({ key: change.key, upstream: theirs ?? "(removed)", deployed: value });
        }
        content = writeConfigScalar(content, change.key, String(value));
      }
    }
    const worktree = mkdtempSync(path.join(tmpdir(), "pulumiscale-commit-"));
    try {
      await git.run(["worktree", "add", "--quiet", "--detach", worktree, "refs/pulumiscale/upstream"]);
      const inTree = new Git(worktree, env);
      writeFileSync(path.join(worktree, relative), content);
      await inTree.run(["add", "--", relative]);
      const staged = await inTree.run(["diff", "--cached", "--quiet"], { allowFailure: true });
      if (staged.exitCode === 0) {
        // Upstream already holds exactly these values.
        return { commit: await inTree.output(["rev-parse", "HEAD"]), branch, attempts: attempt, overridden };
      }
      await inTree.run(["commit", "--quiet", "--no-verify", "-m", request.message]);
      const pushed = await inTree.run(["push", "--quiet", "origin", `HEAD:refs/heads/${branch}`], { allowFailure: true });
      if (pushed.exitCode === 0) {
        return { commit: await inTree.output(["rev-parse", "HEAD"]), branch, attempts: attempt, overridden };
      }
      const rejectedByRace = /\[rejected\]|non-fast-forward|fetch first|failed to update ref|cannot lock ref/.test(pushed.stderr);
      if (!rejectedByRace || attempt >= maxAttempts) {
        throw new CommitBackError(
          `pushing to ${branch} failed after ${attempt} attempt(s): ${pushed.stderr.trim().split("\n").slice(-6).join(" / ")}`,
        );
      }
    } catch (error) {
      if (error instanceof CommitBackError) throw error;
      if (error instanceof GitError) throw new CommitBackError(error.message);
      throw error;
    } finally {
      await git.run(["worktree", "remove", "--force", worktree], { allowFailure: true });
      if (existsSync(worktree)) rmSync(worktree, { recursive: true, force: true });
    }
  }
}
