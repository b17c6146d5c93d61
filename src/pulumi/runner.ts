import type { UpdateHistoryEntry } from "../engine/memory.js";
import type { ResourceStep } from "./events.js";

export type { UpdateHistoryEntry } from "../engine/memory.js";

/** What the action needs from Pulumi, and nothing more. The only place that talks to Pulumi. */
export interface PulumiRunner {
  /** The stack's outputs as last deployed; secrets in `policyOutput` are decrypted. */
  readOutputs(policyOutput?: string): Promise<Record<string, unknown>>;
  /**
   * Writes the counts into the stack config and runs a targeted update of `urns` (a targeted
   * preview when `dryRun`). Restores the stack config file when the update fails or on dry run.
   */
  update(request: UpdateRequest, signal?: AbortSignal): Promise<UpdateReport>;
  /** The stack settings file (`Pulumi.<stack>.yaml`) in the project directory. */
  readonly settingsFile: string;
  /** A config key as the settings file spells it: `project:key`. */
  qualifiedConfigKey(key: string): string;
  /** The stack's most recent updates, newest first: the durable memory of earlier runs. */
  readHistory(limit: number): Promise<UpdateHistoryEntry[]>;
  /** The stack's tags: where runs that change nothing leave their recommendations. Missing: none kept. */
  readStackTags?(): Promise<Record<string, string>>;
  /**
   * Sets each tag (an empty value removes it), one after the other. A tag that cannot be written
   * is reported in the log, not thrown: losing a recommendation must not stop a scaling.
   */
  writeStackTags?(tags: Readonly<Record<string, string>>): Promise<void>;
}

export interface ConfigChange {
  readonly key: string;
  readonly value: number;
}

export interface UpdateRequest {
  readonly changes: readonly ConfigChange[];
  readonly urns: readonly string[];
  /** The update message: becomes part of the stack's update history. */
  readonly message: string;
  readonly dryRun: boolean;
  /** Also update the resources that depend on the targets. */
  readonly targetDependents: boolean;
}

export interface UpdateReport {
  readonly kind: "update" | "preview";
  /** Resource operations, e.g. { update: 1, same: 2 }. */
  readonly operations: Readonly<Record<string, number>>;
  /** Every resource step the engine took (or would take, on preview). */
  readonly steps: readonly ResourceStep[];
  /** Engine warnings about operations a crashed run left pending, shown to the user. */
  readonly pendingOperationWarnings: readonly string[];
  /** Plugins the operation had to download, e.g. `random-4.18.0`: a cache step is missing. */
  readonly pluginDownloads?: readonly string[];
  readonly durationMs: number;
  /** How many times the update was started (more than one after waiting for a lock). */
  readonly attempts: number;
}
