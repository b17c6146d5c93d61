// At the end of the loop, the count must agree everywhere a normal `pulumi up` or a person would
// look: the config file on the remote, the stack config, the stack's output and the "cloud".
import { spawnSync } from "node:child_process";
import type { FleetStack } from "../test/support/fleet.ts";
import { poolSizeIn } from "./exporter.ts";

export interface Consistency {
  readonly gitConfig: number;
  readonly stackConfig: number;
  readonly stackOutput: number;
  readonly deployed: number;
  readonly previewNoChanges: boolean;
  readonly previewOutput: string;
}

export function checkConsistency(fleet: FleetStack): Consistency {
  const remoteFile = fleet.git(["--git-dir", fleet.remote!, "show", "main:Pulumi.dev.yaml"]);
  const gitConfig = Number(/fleet:workerCount: "(\d+)"/.exec(remoteFile)?.[1]);
  const stackConfig = Number(fleet.pulumi(["config", "get", "workerCount"]).trim());
  const stackOutput = Number(fleet.outputs()["poolSize"]);
  const preview = spawnSync("pulumi", ["preview", "--expect-no-changes", "--non-interactive"], { cwd: fleet.dir, env: fleet.env, encoding: "utf8" });
  return {
    gitConfig,
    stackConfig,
    stackOutput,
    deployed: poolSizeIn(fleet.stateDir),
    previewNoChanges: preview.status === 0,
    previewOutput: `${preview.stdout}${preview.stderr}`,
  };
}
