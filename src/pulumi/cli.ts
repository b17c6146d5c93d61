import { ProcessError, runProcess, type ProcessResult } from "../process.js";

/** What one CLI process printed and how it ended. */
export type CliResult = ProcessResult;

/** A Pulumi CLI process that exited non-zero. Keeps what it printed for the error message. */
export class PulumiCliError extends ProcessError {
  override readonly name = "PulumiCliError";
  constructor(args: readonly string[], result: CliResult) {
    super("pulumi", args, result);
  }

  /** Another update holds the stack lock (file backends, and Pulumi Cloud's 409). */
  get isLockConflict(): boolean {
    return /the stack is currently locked by|\[409\] Conflict/.test(this.result.stderr);
  }

  /** The stack named by --stack does not exist. */
  get isStackNotFound(): boolean {
    return /no stack named '[^']*' found/.test(this.result.stderr);
  }

  /** The last lines Pulumi printed, for a message. */
  details(lines = 15): string {
    const text = `${this.result.stderr}\n${this.result.stdout}`;
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(-lines)
      .join("\n");
  }
}

export interface PulumiCliOptions {
  /** The Pulumi project directory. */
  readonly cwd: string;
  /** Extra environment for every process. */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives the output of streamed commands (the job log). */
  readonly log: (text: string) => void;
  /** The binary; `pulumi` from PATH by default. */
  readonly command?: string;
}

/**
 * Starts Pulumi CLI processes the way the Automation API does (non-interactive, no colour, no
 * update check), but lets the caller choose the exact commands, so a scaling run starts only the
 * processes it needs.
 */
export class PulumiCli {
  constructor(private readonly options: PulumiCliOptions) {}

  /**
   * Runs `pulumi <args>`; resolves when it exits 0, rejects with PulumiCliError otherwise.
   * `stream` copies stdout to the log as it arrives; `signal` interrupts the process with
   * SIGINT, which Pulumi handles by cancelling the operation cleanly.
   */
  async run(args: readonly string[], options: { stream?: boolean; signal?: AbortSignal } = {}): Promise<CliResult> {
    const command = this.options.command ?? "pulumi";
    const result = await runProcess(command, [...args, "--non-interactive", "--color", "never"], {
      cwd: this.options.cwd,
      env: { ...this.options.env, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_AUTOMATION_API: "true" },
      ...(options.stream ? { onStdout: this.options.log } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      // Its own process group: a signal sent to the action's group (a cancelled job) must not
      // reach Pulumi twice, because a second SIGINT makes it quit without releasing the lock.
      detached: true,
    });
    if (result.exitCode === 0) return result;
    if (result.exitCode === -1) {
      throw new PulumiCliError(args, { ...result, stderr: `${result.stderr}; install the Pulumi CLI (pulumi/actions@v7) before this step` });
    }
    throw new PulumiCliError(args, result);
  }
}
