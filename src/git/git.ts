import { spawn } from "node:child_process";

export interface GitResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** A git command that exited non-zero. */
export class GitError extends Error {
  override readonly name = "GitError";
  constructor(
    readonly args: readonly string[],
    readonly result: GitResult,
  ) {
    super(`git ${args.join(" ")} failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim()}`);
  }
}

/** Runs git in one directory. The only code that starts git. */
export class Git {
  constructor(
    readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  /** Resolves with the output; rejects with GitError unless `allowFailure`. */
  run(args: readonly string[], options: { allowFailure?: boolean } = {}): Promise<GitResult> {
    return new Promise((resolve, reject) => {
      const child = spawn("git", args, {
        cwd: this.cwd,
        env: { ...process.env, ...this.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      child.on("error", (error) => reject(new GitError(args, { stdout: "", stderr: error.message, exitCode: -1 })));
      child.on("close", (code) => {
        const result = { stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString(), exitCode: code ?? -1 };
        if (result.exitCode === 0 || options.allowFailure) resolve(result);
        else reject(new GitError(args, result));
      });
    });
  }

  async output(args: readonly string[]): Promise<string> {
    return (await this.run(args)).stdout.trim();
  }
}
