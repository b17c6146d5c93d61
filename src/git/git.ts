import { ProcessError, runProcess, type ProcessResult } from "../process.js";

export type GitResult = ProcessResult;

/** A git command that exited non-zero. */
export class GitError extends ProcessError {
  override readonly name = "GitError";
  constructor(args: readonly string[], result: GitResult) {
    super("git", args, result);
  }
}

/** Runs git in one directory. The only code that starts git. */
export class Git {
  constructor(
    readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  /** Resolves with the output; rejects with GitError unless `allowFailure`. */
  async run(args: readonly string[], options: { allowFailure?: boolean } = {}): Promise<GitResult> {
    const result = await runProcess("git", args, { cwd: this.cwd, env: { ...this.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" } });
    if (result.exitCode === 0 || options.allowFailure) return result;
    throw new GitError(args, result);
  }

  async output(args: readonly string[]): Promise<string> {
    return (await this.run(args)).stdout.trim();
  }
}
