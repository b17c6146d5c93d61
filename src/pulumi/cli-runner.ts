import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ActionError, InputError } from "../errors.js";
import { PulumiCli, PulumiCliError } from "./cli.js";
import { summariseEventLog, type EventLogSummary } from "./events.js";
import { findPluginDownloads } from "./plugin-downloads.js";
import { backoffDelays, retry } from "./retry.js";
import { describeHolders, parseLockHolders, type LockHolder } from "./locks.js";
import type { PulumiRunner, UpdateHistoryEntry, UpdateReport, UpdateRequest } from "./runner.js";
import { unsuitableVersion } from "./version.js";

/** What `pulumi stack output --json` prints in place of a secret value. */
const SECRET_PLACEHOLDER = "[secret]";

export interface CliRunnerOptions {
  /** Stack name as the user gave it: `dev`, `org/dev` or `org/project/dev`. */
  readonly stack: string;
  readonly workDir: string;
  readonly lockTimeoutMs: number;
  /** Where Pulumi's own output goes (the job log). */
  readonly log: (text: string) => void;
  /** Directory for the engine's event logs; the OS temp directory by default. */
  readonly tempDir?: string;
  /** Locks older than this are cleared as leftovers of dead runs; never when absent. */
  readonly clearLocksOlderThanMs?: number;
  /** Told every secret value the runner decrypts, so the job log can mask it. */
  readonly maskSecret?: (value: string) => void;
}

/**
 * A PulumiRunner for a local program in `workDir`, driving the Pulumi CLI with the commands and
 * flags the Automation API uses, but only the processes a scaling needs: `version`, `stack output`
 * and `stack history` in parallel, a targeted `preview` when the gate is on, then one
 * `up --config … --target …` that saves the config and updates in the same process. Every command
 * names the stack with `--stack`, so the workspace's selected stack is never changed and no stack
 * is ever created.
 */
export class CliRunner implements PulumiRunner {
  private readonly cli: PulumiCli;
  private versionCheck: Promise<void> | undefined;

  constructor(private readonly options: CliRunnerOptions) {
    if (!existsSync(path.join(options.workDir, "Pulumi.yaml")) && !existsSync(path.join(options.workDir, "Pulumi.yml"))) {
      throw new InputError("work-dir", options.workDir, "a directory with a Pulumi project (Pulumi.yaml)");
    }
    // --event-log is available when debug commands are enabled, as the Automation API does.
    this.cli = new PulumiCli({ cwd: options.workDir, log: options.log, env: { PULUMI_DEBUG_COMMANDS: "true" } });
  }

  /**
   * Reads the outputs without decrypting secrets first: decryption costs a key derivation or a
   * round trip to the secrets provider, and policies rarely hold secrets. Only when `policyOutput`
   * contains a secret is it read again with `--show-secrets`.
   */
  async readOutputs(policyOutput?: string): Promise<Record<string, unknown>> {
    const read = (showSecrets: boolean) =>
      this.cli
        .run(["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : []), "--stack", this.options.stack])
        .then((result) => JSON.parse(result.stdout) as Record<string, unknown>)
        .catch((error) => {
          throw this.explain(error, "reading the stack outputs");
        });
    const [, outputs] = await Promise.all([this.checkVersion(), read(false)]);
    const policy = policyOutput === undefined ? outputs : outputs[policyOutput];
    if (!JSON.stringify(policy ?? null).includes(`"${SECRET_PLACEHOLDER}"`)) return outputs;
    const decrypted = await read(true);
    // Whatever stood behind a placeholder is a secret: mask it wherever it might be printed.
    for (const value of secretValues(outputs, decrypted)) this.options.maskSecret?.(value);
    return decrypted;
  }

  async readHistory(limit: number): Promise<UpdateHistoryEntry[]> {
    try {
      const { stdout } = await this.cli.run(["stack", "history", "--json", "--page-size", String(limit), "--stack", this.options.stack]);
      const entries = JSON.parse(stdout) as Partial<UpdateHistoryEntry>[] | null;
      return (entries ?? []).map((entry) => ({
        kind: String(entry.kind ?? ""),
        result: String(entry.result ?? ""),
        message: String(entry.message ?? ""),
        startTime: String(entry.startTime ?? ""),
        ...(entry.endTime ? { endTime: String(entry.endTime) } : {}),
      }));
    } catch (error) {
      throw this.explain(error, "reading the update history");
    }
  }

  async readStackTags(): Promise<Record<string, string>> {
    try {
      const { stdout } = await this.cli.run(["stack", "tag", "ls", "--json", "--stack", this.options.stack]);
      const tags = JSON.parse(stdout) as Record<string, unknown> | null;
      return Object.fromEntries(Object.entries(tags ?? {}).map(([key, value]) => [key, String(value)]));
    } catch (error) {
      throw this.explain(error, "reading the stack tags");
    }
  }

  async writeStackTags(tags: Readonly<Record<string, string>>): Promise<void> {
    // One at a time: each command rewrites the stack's metadata, so parallel ones could lose each other's tag.
    for (const [key, value] of Object.entries(tags)) {
      const args = value === "" ? ["stack", "tag", "rm", key] : ["stack", "tag", "set", key, value];
      try {
        await this.cli.run([...args, "--stack", this.options.stack]);
      } catch (error) {
        this.options.log(`Could not write stack tag ${key} (the stabilization memory): ${(error as Error).message}\n`);
      }
    }
  }

  async update(request: UpdateRequest, signal?: AbortSignal): Promise<UpdateReport> {
    await this.checkVersion();
    const settingsFile = this.settingsFile;
    const original = existsSync(settingsFile) ? readFileSync(settingsFile) : undefined;
    const restore = () => (original === undefined ? rmSync(settingsFile, { force: true }) : writeFileSync(settingsFile, original));
    const started = Date.now();
    let attempts = 0;
    let lastHolders: LockHolder[] = [];
    try {
      const summary = await retry(
        async () => {
          attempts++;
          try {
            return await this.runOperation(request, signal);
          } catch (error) {
            if (!(error instanceof PulumiCliError && error.isLockConflict)) throw error;
            lastHolders = parseLockHolders(error.result.stderr);
            if (await this.clearStaleLocks(lastHolders)) return await this.runOperation(request, signal);
            throw error;
          }
        },
        (error) => error instanceof PulumiCliError && error.isLockConflict,
        backoffDelays(this.options.lockTimeoutMs),
        (_error, delayMs) =>
          this.options.log(`The stack is locked by ${describeHolders(lastHolders, new Date())}; trying again in ${delayMs / 1000}s.\n`),
        signal,
      );
      if (request.dryRun) restore();
      return {
        kind: request.dryRun ? "preview" : "update",
        ...summary,
        durationMs: Date.now() - started,
        attempts,
      };
    } catch (error) {
      restore();
      if (signal?.aborted) {
        throw new ActionError(
          `The run was cancelled while ${request.dryRun ? "previewing" : "updating"} stack ${JSON.stringify(this.options.stack)}; ` +
            "Pulumi stopped the operation and released the stack lock, and the stack config file was restored.",
          "Resources that were being changed may be half-way: the next scaling run starts from the deployed state, or run pulumi refresh to check.",
        );
      }
      if (error instanceof PulumiCliError && error.isLockConflict) {
        throw new ActionError(
          `Stack ${JSON.stringify(this.options.stack)} stayed locked for the whole lock-timeout (${this.options.lockTimeoutMs / 1000}s), ` +
            `held by ${describeHolders(lastHolders, new Date())}; nothing was changed.`,
          `If no other update is running, the lock is stale (a cancelled or crashed run): clear it with \`pulumi cancel --yes --stack ${this.options.stack}\` ` +
            "(on a file or cloud-storage backend this deletes the lock files under .pulumi/locks/), or set the clear-locks-older-than input, then run the scaling again.",
        );
      }
      throw this.explain(error, request.dryRun ? "previewing the targeted update" : "running the targeted update");
    }
  }

  /**
   * Clears the stack's locks when every holder is older than `clearLocksOlderThanMs`: they are
   * taken for leftovers of runs that died. Pulumi Cloud names no holder, so its locks are never cleared.
   */
  private async clearStaleLocks(holders: readonly LockHolder[]): Promise<boolean> {
    const maxAge = this.options.clearLocksOlderThanMs;
    if (maxAge === undefined || holders.length === 0) return false;
    const now = new Date();
    if (!holders.every((holder) => now.getTime() - holder.createdAt.getTime() > maxAge)) return false;
    this.options.log(`Clearing a stale lock held by ${describeHolders(holders, now)} (older than clear-locks-older-than).\n`);
    await this.cli.run(["cancel", "--yes", "--stack", this.options.stack]);
    return true;
  }

  /** One `pulumi up` (or `preview`) that saves the config and touches only the targets. */
  private async runOperation(request: UpdateRequest, signal?: AbortSignal): Promise<EventLogSummary> {
    const logDir = mkdtempSync(path.join(this.options.tempDir ?? tmpdir(), "pulumiscale-"));
    const eventLog = path.join(logDir, "events.jsonl");
    const args = [
      request.dryRun ? "preview" : "up",
      "--stack",
      this.options.stack,
      ...(request.dryRun ? [] : ["--yes", "--skip-preview"]),
      ...request.urns.flatMap((urn) => ["--target", urn]),
      ...(request.targetDependents ? ["--target-dependents"] : []),
      ...request.changes.flatMap((change) => ["--config", `${change.key}=${change.value}`]),
      "--message",
      request.message,
      "--event-log",
      eventLog,
      "--exec-kind",
      "auto.local",
    ];
    try {
      const result = await this.cli.run(args, { stream: true, ...(signal ? { signal } : {}) });
      const log = readFileSync(eventLog, "utf8");
      return { ...summariseEventLog(log), pluginDownloads: findPluginDownloads(log, `${result.stdout}\n${result.stderr}`) };
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  }

  qualifiedConfigKey(key: string): string {
    if (key.includes(":")) return key;
    const project = projectSetting(readFileSync(this.projectFile, "utf8"), "name");
    return project ? `${project}:${key}` : key;
  }

  private get projectFile(): string {
    const yml = path.join(this.options.workDir, "Pulumi.yml");
    return existsSync(yml) ? yml : path.join(this.options.workDir, "Pulumi.yaml");
  }

  /** Fails before any change when the CLI is too old or a release known to break --target. */
  private checkVersion(): Promise<void> {
    this.versionCheck ??= this.cli.run(["version"]).then(
      ({ stdout }) => {
        const problem = unsuitableVersion(stdout);
        if (problem) {
          throw new ActionError(
            `The Pulumi CLI on PATH (${stdout.trim()}) cannot be used: ${problem}.`,
            "Install a current CLI before this step, e.g. pulumi/actions@v7 with pulumi-version: 3.274.1.",
          );
        }
      },
      (error) => {
        throw this.explain(error, "checking the Pulumi CLI version");
      },
    );
    return this.versionCheck;
  }

  /** `Pulumi.<stack>.yaml` in the project, or in the project's `stackConfigDir` when it sets one. */
  get settingsFile(): string {
    const shortName = this.options.stack.split("/").at(-1)!;
    const configDir = projectSetting(readFileSync(this.projectFile, "utf8"), "stackConfigDir");
    const dir = path.resolve(this.options.workDir, configDir ?? ".");
    for (const extension of ["yaml", "yml", "json"]) {
      const file = path.join(dir, `Pulumi.${shortName}.${extension}`);
      if (existsSync(file)) return file;
    }
    return path.join(dir, `Pulumi.${shortName}.yaml`);
  }

  /** Turns a CLI failure into an error that says what was being done and keeps Pulumi's words. */
  private explain(error: unknown, doing: string): Error {
    if (error instanceof InputError || error instanceof ActionError) return error;
    if (error instanceof PulumiCliError) {
      if (error.isStackNotFound) {
        return new InputError("stack", this.options.stack, "an existing stack of the project; create it with pulumi stack init and deploy it once");
      }
      return new ActionError(`Pulumi failed while ${doing} of stack ${JSON.stringify(this.options.stack)}:\n${error.details()}`);
    }
    return new ActionError(`Failed while ${doing}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A top-level scalar of Pulumi.yaml (`name`, `stackConfigDir`), enough for the plain values Pulumi writes. */
export function projectSetting(projectYaml: string, key: string): string | undefined {
  return new RegExp(`^${key}:\\s*["']?([^"'#\\n]+?)["']?\\s*(?:#.*)?$`, "m").exec(projectYaml)?.[1];
}

/** The values in `decrypted` found where `masked` (the same outputs without --show-secrets) holds the placeholder. */
export function secretValues(masked: unknown, decrypted: unknown): string[] {
  if (masked === SECRET_PLACEHOLDER) {
    if (decrypted === null || decrypted === undefined) return [];
    return typeof decrypted === "object" ? leaves(decrypted) : [String(decrypted)];
  }
  if (typeof masked !== "object" || masked === null || typeof decrypted !== "object" || decrypted === null) return [];
  return Object.entries(masked).flatMap(([key, value]) => secretValues(value, (decrypted as Record<string, unknown>)[key]));
}

function leaves(value: object): string[] {
  return Object.values(value).flatMap((inner) =>
    typeof inner === "object" && inner !== null ? leaves(inner) : inner === null || inner === undefined ? [] : [String(inner)],
  );
}
