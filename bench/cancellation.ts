// A job cancelled mid-update, as the runner cancels it: SIGINT to the step's process group, then
// SIGTERM to it 7.5 s later. Once through the Automation API (bench/automation.ts) and once
// through the action, each on a fresh fixture stack whose pool update takes 20 s; then prints
// whether the stack lock was left, what the pool holds and what the config file says.
// Run with `node bench/cancellation.ts` (≈ 3 min); docs/decisions.md records its result.
import { spawn } from "node:child_process";
import path from "node:path";
import { createFleetStack, repoRoot, waitForFile } from "../test/support/fleet.ts";

interface PolicyOutput {
  targets: { workers: { urn: string } };
}

async function trial(kind: "automation" | "action") {
  const fleet = createFleetStack({ workerCount: 3, poolBehaviour: { updateDelayMs: 20_000 } });
  const urn = (fleet.outputs()["pulumiscale"] as PolicyOutput).targets.workers.urn;
  const args = kind === "automation"
    ? [path.join(repoRoot, "bench", "automation.ts"), fleet.dir, "dev", urn, "4", "--no-reads"]
    : [path.join(repoRoot, "dist", "index.js")];
  const env = {
    ...fleet.env,
    INPUT_STACK: "dev",
    "INPUT_WORK-DIR": fleet.dir,
    INPUT_TARGET: "workers",
    INPUT_COUNT: "4",
    "INPUT_PREVIEW-GATE": "false",
    "INPUT_COMMIT-BACK": "false",
  };
  const child = spawn(process.execPath, args, { cwd: fleet.dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const done = new Promise<number | string>((r) => child.on("close", (code, sig) => r(code ?? String(sig))));
  await waitForFile(path.join(fleet.stateDir, "pool-workers.json.updating"));
  process.kill(-child.pid!, "SIGINT");
  // The runner's grace period before SIGTERM.
  const term = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // The group has already exited.
    }
  }, 7500);
  const code = await done;
  clearTimeout(term);
  // A CLI left behind by its parent may still be finishing: give it longer than the update.
  await new Promise((resolve) => setTimeout(resolve, 25_000));
  const locks = fleet.lockFiles().length;
  console.log(`${kind}: exit ${code}; lock files left: ${locks}; pool on disk ${fleet.poolSizeOnDisk()}; config ${/workerCount: "(\d+)"/.exec(fleet.configFile())?.[1]}`);
  console.log("  " + out.split("\n").filter((l) => /cancel|signal|interrupt|terminat|SIGINT|SIGTERM|lock/i.test(l)).slice(0, 6).join("\n  "));
}
await trial("automation");
await trial("action");
