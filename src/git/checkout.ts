import path from "node:path";
import { CommitBackError } from "./committer.js";
import { Git } from "./git.js";

/** The git checkout that holds the project, as actions/checkout leaves it. */
export interface Checkout {
  readonly root: string;
  /** The URL of its `origin` remote. */
  readonly remote: string;
}

/**
 * Finds the git checkout that holds `dir` and its `origin` remote; undefined when there is none
 * (then there is nothing to commit back to).
 */
export async function findCheckout(dir: string): Promise<Checkout | undefined> {
  const git = new Git(dir);
  const inside = await git.run(["rev-parse", "--show-toplevel"], { allowFailure: true });
  if (inside.exitCode !== 0) return undefined;
  const remote = await git.run(["remote", "get-url", "origin"], { allowFailure: true });
  if (remote.exitCode !== 0) return undefined;
  return { root: inside.stdout.trim(), remote: remote.stdout.trim() };
}

/** What a commit starts from: the branch to commit to and the settings file at the checkout's commit. */
export interface CommitBase {
  readonly branch: string;
  /** The settings file's path in the repository, with forward slashes. */
  readonly relative: string;
  /** The settings file as the checkout's commit holds it ("" when it does not). */
  readonly base: string;
}

/** The branch (`commit-branch`, else the checked-out one) and the settings file as checked out. */
export async function readCommitBase(checkout: Checkout, settingsFile: string, branch?: string): Promise<CommitBase> {
  const git = new Git(checkout.root);
  const relative = path.relative(checkout.root, settingsFile).split(path.sep).join("/");
  const name = branch ?? (await git.run(["symbolic-ref", "--short", "HEAD"], { allowFailure: true })).stdout.trim();
  if (!name) throw new CommitBackError("the checkout is on a detached HEAD: set the commit-branch input");
  const base = (await git.run(["show", `HEAD:${relative}`], { allowFailure: true })).stdout;
  return { branch: name, relative, base };
}
