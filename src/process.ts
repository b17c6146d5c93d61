import { spawn } from "node:child_process";

/** What a finished process printed and how it ended. */
export interface ProcessResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code; 128 when a signal ended it, -1 when it could not be started, 130 when cancelled before. */
  readonly exitCode: number;
}

/** A command that exited non-zero (or could not start). Keeps what it printed. */
export class ProcessError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly result: ProcessResult,
  ) {
    super(`${command} ${args.slice(0, 2).join(" ")} exited with code ${result.exitCode}: ${(result.stderr || result.stdout).trim()}`);
  }
}

export interface ProcessOptions {
  readonly cwd: string;
  /** Added to this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives stdout as it arrives. */
  readonly onStdout?: (text: string) => void;
  /** Sends SIGINT to the process when aborted. */
  readonly signal?: AbortSignal;
  /** Start it in its own process group (see PulumiCli for why). */
  readonly detached?: boolean;
}

/**
 * Runs a command to its end and collects its output. Never rejects: a command that cannot be
 * started ends with exit code -1 and the reason in stderr, one not started because `signal` was
 * already aborted with 130, so callers handle one shape.
 */
export function runProcess(command: string, args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  if (options.signal?.aborted) {
    // Cancelled before it started: start nothing.
    return Promise.resolve({ stdout: "", stderr: `${command} was not started: the run was cancelled`, exitCode: 130 });
  }
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: options.detached ?? false,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => {
      stdout.push(chunk);
      options.onStdout?.(chunk.toString());
    });
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const interrupt = () => child.kill("SIGINT");
    options.signal?.addEventListener("abort", interrupt, { once: true });
    let failedToStart: Error | undefined;
    child.on("error", (error) => (failedToStart = error));
    child.on("close", (code, signal) => {
      options.signal?.removeEventListener("abort", interrupt);
      resolve({
        stdout: Buffer.concat(stdout).toString(),
        stderr: failedToStart ? `could not start ${command}: ${failedToStart.message}` : Buffer.concat(stderr).toString(),
        exitCode: failedToStart ? -1 : (code ?? (signal ? 128 : -1)),
      });
    });
  });
}
