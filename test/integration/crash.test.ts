// A cancelled job (SIGTERM) stops the update cleanly; a runner that dies (kill -9) leaves a lock
// that the next run reports and, when asked, clears.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createFleetStack, killTree, runAction, startAction, waitForFile, type FleetStack } from "../support/fleet.js";

const scale = (delta: number) => ({ client_payload: { target: "workers", delta } });

describe("SIGTERM during an update", () => {
  let fleet: FleetStack;
  let run: Awaited<ReturnType<typeof startAction>["done"]>;
  let remoteHead: string;

  beforeAll(async () => {
    fleet = createFleetStack({ workerCount: 3, git: true, poolBehaviour: { updateDelayMs: 4000 } });
    remoteHead = fleet.git(["--git-dir", fleet.remote!, "rev-parse", "main"]);
    const action = startAction(fleet, { eventName: "repository_dispatch", event: scale(2) });
    await waitForFile(path.join(fleet.stateDir, "pool-workers.json.updating"));
    action.child.kill("SIGTERM");
    run = await action.done;
  });

  it("fails the step and says the run was cancelled", () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Received SIGTERM: stopping the Pulumi operation/);
    expect(run.stdout).toMatch(/The run was cancelled while updating stack "dev"; Pulumi stopped the operation and released the stack lock/);
  });

  it("leaves no lock behind", () => {
    expect(fleet.lockFiles()).toEqual([]);
  });

  it("commits nothing and restores the stack config file", () => {
    expect(fleet.git(["--git-dir", fleet.remote!, "rev-parse", "main"])).toBe(remoteHead);
    expect(fleet.configFile()).toMatch(/fleet:workerCount: "3"/);
  });

  it("lets the next run scale from the deployed state", () => {
    const next = runAction(fleet, { eventName: "repository_dispatch", event: scale(1) });
    expect(next.code).toBe(0);
    const deployed = fleet.outputs()["poolSize"] as number;
    expect(fleet.poolSizeOnDisk()).toBe(deployed);
    expect(fleet.git(["--git-dir", fleet.remote!, "show", "main:Pulumi.dev.yaml"])).toContain(`fleet:workerCount: "${deployed}"`);
  });
});

describe("kill -9 during an update", () => {
  let fleet: FleetStack;

  beforeAll(async () => {
    fleet = createFleetStack({ workerCount: 3, poolBehaviour: { updateDelayMs: 60_000 } });
    const action = startAction(fleet, { eventName: "repository_dispatch", event: scale(2) });
    await waitForFile(path.join(fleet.stateDir, "pool-workers.json.updating"));
    // The whole runner dies: the action, Pulumi, the language host and the provider.
    killTree(action.child.pid!);
    await action.done;
  });

  it("leaves the stack lock behind", () => {
    expect(fleet.lockFiles()).toHaveLength(1);
  });

  it("the next run reports the stale lock with its owner and age and changes nothing", () => {
    const run = runAction(fleet, { eventName: "repository_dispatch", event: scale(2), inputs: { "lock-timeout": "2s" } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/stayed locked for the whole lock-timeout \(2s\), held by \S+@\S+ \(pid \d+\) since \S+ \(\d+s ago\)/);
    expect(fleet.lockFiles()).toHaveLength(1);
  });

  it("with clear-locks-older-than, the next run clears the lock, reports the pending operation and applies", () => {
    // The shortest age the input accepts is a minute. Instead of waiting for the dead run's lock
    // to age, its recorded creation time (what Pulumi reports and the action compares) is moved
    // two minutes back: the same lock, as it would be read a little later.
    ageLocks(fleet, 120_000);
    fleet.pulumi(["config", "set", "poolBehaviour", "{}"]);
    const run = runAction(fleet, {
      eventName: "repository_dispatch",
      event: scale(2),
      inputs: { "lock-timeout": "2s", "clear-locks-older-than": "1m" },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Clearing a stale lock held by/);
    expect(run.summary).toMatch(/pending operation/i);
    expect(fleet.lockFiles()).toEqual([]);
    const deployed = fleet.outputs()["poolSize"] as number;
    expect(deployed).toBe(5);
    expect(fleet.poolSizeOnDisk()).toBe(5);
  });
});

/** Moves the creation time recorded in each of the stack's lock files `ms` into the past. */
function ageLocks(fleet: FleetStack, ms: number): void {
  const dir = path.join(fleet.backendDir, ".pulumi", "locks", "organization", "fleet", fleet.stackName);
  for (const file of fleet.lockFiles()) {
    const lock = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as { timestamp: string };
    lock.timestamp = new Date(Date.parse(lock.timestamp) - ms).toISOString();
    writeFileSync(path.join(dir, file), JSON.stringify(lock));
  }
}
