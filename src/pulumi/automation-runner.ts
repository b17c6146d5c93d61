import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  CommandError,
  ConcurrentUpdateError,
  LocalWorkspace,
  StackNotFoundError,
  type Stack,
} from "@pulumi/pulumi/automation/index.js";
import { ActionError, InputError } from "../errors.js";
import { backoffDelays, retry } from "./retry.js";
import type { PulumiRunner, UpdateReport, UpdateRequest } from "./runner.js";

export interface AutomationRunnerOptions {
  /** Stack name as the user gave it: `dev`, `org/dev` or `org/project/dev`. */
  readonly stack: string;
  readonly workDir: string;
  readonly lockTimeoutMs: number;
  /** Where Pulumi's own output goes (the job log). */
  readonly log: (text: string) => void;
}

/** A PulumiRunner on the Pulumi Automation API, for a local program in `workDir`. */
export class AutomationRunner implements PulumiRunner {
  private constructor(
    private readonly stack: Stack,
    private readonly options: AutomationRunnerOptions,
  ) {}

  /** Selects an existing stack; never creates one. */
  static async open(options: AutomationRunnerOptions): Promise<AutomationRunner> {
    if (!existsSync(path.join(options.workDir, "Pulumi.yaml")) && !existsSync(path.join(options.workDir, "Pulumi.yml"))) {
      throw new InputError("work-dir", options.workDir, "a directory with a Pulumi project (Pulumi.yaml)");
    }
    try {
      const stack = await LocalWorkspace.selectStack({ stackName: options.stack, workDir: options.workDir });
      return new AutomationRunner(stack, options);
    } catch (error) {
      if (error instanceof StackNotFoundError) {
        throw new InputError("stack", options.stack, "an existing stack of the project; create it with pulumi stack init and deploy it once");
      }
      throw wrapCommandError(error, `selecting stack ${JSON.stringify(options.stack)}`);
    }
  }

  async readOutputs(): Promise<Record<string, unknown>> {
    try {
      const outputs = await this.stack.outputs();
      return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.value]));
    } catch (error) {
      throw wrapCommandError(error, `reading the outputs of stack ${JSON.stringify(this.options.stack)}`);
    }
  }

  async update(request: UpdateRequest): Promise<UpdateReport> {
    const settingsFile = this.stackSettingsFile();
    const original = existsSync(settingsFile) ? readFileSync(settingsFile) : undefined;
    const restore = () => (original === undefined ? rmSync(settingsFile, { force: true }) : writeFileSync(settingsFile, original));
    const started = Date.now();
    let attempts = 0;
    try {
      await this.stack.setAllConfig(
        Object.fromEntries(request.changes.map((change) => [change.key, { value: String(change.value) }])),
      );
      const operations = await retry(
        async () => {
          attempts++;
          return request.dryRun ? await this.preview(request) : await this.up(request);
        },
        (error) => error instanceof ConcurrentUpdateError,
        backoffDelays(this.options.lockTimeoutMs),
        (_error, delayMs) => this.options.log(`The stack is locked by another update; trying again in ${delayMs / 1000}s.\n`),
      );
      if (request.dryRun) restore();
      return { kind: request.dryRun ? "preview" : "update", operations, durationMs: Date.now() - started, attempts };
    } catch (error) {
      restore();
      if (error instanceof ConcurrentUpdateError) {
        throw new ActionError(
          `Stack ${JSON.stringify(this.options.stack)} stayed locked by another update for the whole lock-timeout (${this.options.lockTimeoutMs / 1000}s); nothing was changed.`,
          "If no other update is running, the lock is stale (a cancelled or crashed run): clear it with `pulumi cancel --stack " +
            this.options.stack +
            "` (on a file or cloud-storage backend this deletes the lock files under .pulumi/locks/), then run the scaling again.",
        );
      }
      throw wrapCommandError(error, `${request.dryRun ? "previewing" : "updating"} stack ${JSON.stringify(this.options.stack)}`);
    }
  }

  private async up(request: UpdateRequest): Promise<Record<string, number>> {
    const result = await this.stack.up({
      target: [...request.urns],
      message: request.message,
      onOutput: this.options.log,
    });
    return { ...(result.summary.resourceChanges ?? {}) };
  }

  private async preview(request: UpdateRequest): Promise<Record<string, number>> {
    const result = await this.stack.preview({
      target: [...request.urns],
      message: request.message,
      onOutput: this.options.log,
    });
    return Object.fromEntries(Object.entries(result.changeSummary).map(([op, n]) => [op, n ?? 0]));
  }

  private stackSettingsFile(): string {
    const shortName = this.options.stack.split("/").at(-1)!;
    for (const extension of ["yaml", "yml", "json"]) {
      const file = path.join(this.options.workDir, `Pulumi.${shortName}.${extension}`);
      if (existsSync(file)) return file;
    }
    return path.join(this.options.workDir, `Pulumi.${shortName}.yaml`);
  }
}

/** Turns a CLI failure into an ActionError that keeps Pulumi's own explanation. */
function wrapCommandError(error: unknown, doing: string): Error {
  if (error instanceof InputError || error instanceof ActionError) return error;
  if (error instanceof CommandError) {
    const stderr = error.message.split("\n").filter((line) => line.trim() !== "").slice(-15).join("\n");
    return new ActionError(`Pulumi failed while ${doing}:\n${stderr}`);
  }
  return new ActionError(`Failed while ${doing}: ${error instanceof Error ? error.message : String(error)}`);
}
