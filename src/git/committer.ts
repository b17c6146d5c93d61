import type { ConfigChange, OverriddenKey } from "./settings-file.js";

/** A scaling's config change, to land where the next `pulumi up` reads it. */
export interface CommitRequest {
  /** The stack settings file in the job's checkout, already holding the new counts. */
  readonly settingsFile: string;
  /** The config keys the scaling changed, as written in the file (`project:key`), with their values. */
  readonly changes: readonly ConfigChange[];
  /** The decision message: the commit's headline, a blank line, its body. */
  readonly message: string;
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
  /** How the commit was made: pushed with git, or created by GitHub's API (and signed by GitHub). */
  readonly method: "git" | "api";
  /** Keys that someone else had changed upstream in the meantime: the deployed value replaced theirs. */
  readonly overridden: readonly OverriddenKey[];
}

/**
 * Commits the stack settings file onto the branch head, retrying from the new head when someone
 * else moved it in between. Two implementations: git push (commit-back.ts) and GitHub's
 * createCommitOnBranch mutation (api-commit.ts); choose-committer.ts picks one per run.
 */
export interface Committer {
  readonly method: CommitBackResult["method"];
  commit(request: CommitRequest): Promise<CommitBackResult>;
}

/** A commit that keeps being refused, or git or GitHub failing: the caller explains how to reconcile. */
export class CommitBackError extends Error {
  override readonly name = "CommitBackError";
}
