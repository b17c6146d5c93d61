import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readCommitBase, type Checkout } from "./checkout.js";
import { CommitBackError, type CommitBackResult, type CommitRequest, type Committer } from "./committer.js";
import { Git, GitError } from "./git.js";
import { mergeOntoUpstream } from "./settings-file.js";

export interface GitCommitterOptions {
  readonly checkout: Checkout;
  /** `Name <email>` of the commit's author and committer. */
  readonly author: string;
  /** Branch to push to; the checkout's branch when absent. */
  readonly branch?: string;
  readonly maxAttempts?: number;
}

/**
 * Commits the stack settings file to `origin` with git, without touching the job's checkout: each
 * attempt fetches the branch, applies the change in a temporary worktree on top of it (see
 * mergeOntoUpstream) and pushes. A rejected push (someone pushed in between) is retried from a
 * fresh fetch. Works with any remote the checkout can push to.
 */
export class GitCommitter implements Committer {
  readonly method = "git";
  constructor(private readonly options: GitCommitterOptions) {}

  commit(request: CommitRequest): Promise<CommitBackResult> {
    return commitBack(this.options, request);
  }
}

async function commitBack(options: GitCommitterOptions, request: CommitRequest): Promise<CommitBackResult> {
  const { checkout } = options;
  const match = /^(.*?)\s*<([^>]+)>$/.exec(options.author.trim());
  const identity = match ? { name: match[1]!, email: match[2]! } : { name: options.author.trim(), email: "" };
  const env = {
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
  };
  const git = new Git(checkout.root, env);
  const { branch, relative, base } = await readCommitBase(checkout, request.settingsFile, options.branch);
  const ours = readFileSync(request.settingsFile, "utf8");
  const maxAttempts = options.maxAttempts ?? 5;

  for (let attempt = 1; ; attempt++) {
    await git.run(["fetch", "--quiet", "origin", `+refs/heads/${branch}:refs/pulumiscale/upstream`]);
    const upstream = (await git.run(["show", `refs/pulumiscale/upstream:${relative}`], { allowFailure: true })).stdout;
    const { content, overridden } = await mergeOntoUpstream({ base, upstream, ours, changes: request.changes, readDeployed: request.readDeployed });
    const worktree = mkdtempSync(path.join(tmpdir(), "pulumiscale-commit-"));
    try {
      await git.run(["worktree", "add", "--quiet", "--detach", worktree, "refs/pulumiscale/upstream"]);
      const inTree = new Git(worktree, env);
      writeFileSync(path.join(worktree, relative), content);
      await inTree.run(["add", "--", relative]);
      const staged = await inTree.run(["diff", "--cached", "--quiet"], { allowFailure: true });
      if (staged.exitCode === 0) {
        // Upstream already holds exactly these values.
        return { commit: await inTree.output(["rev-parse", "HEAD"]), branch, attempts: attempt, method: "git", overridden };
      }
      await inTree.run(["commit", "--quiet", "--no-verify", "-m", request.message]);
      const pushed = await inTree.run(["push", "--quiet", "origin", `HEAD:refs/heads/${branch}`], { allowFailure: true });
      if (pushed.exitCode === 0) {
        return { commit: await inTree.output(["rev-parse", "HEAD"]), branch, attempts: attempt, method: "git", overridden };
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
