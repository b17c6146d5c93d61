// Another process holds the stack lock: the action retries until lock-timeout, then fails clearly;
// a lock older than clear-locks-older-than is taken for a dead run's leftover and cleared.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createFleetStack, runAction, startAction, waitForFile, type FleetStack } from "../support/fleet.js";

const WORKERS_URN = "urn:pulumi:dev::fleet::pulumi-nodejs:dynamic:Resource::workers";

/** Leaves a lock as a Pulumi process does while it updates the stack (or as a crashed one leaves it). */
function lockStack(fleet: FleetStack, createdAt = new Date()): string {
  const dir = path.join(fleet.backendDir, ".pulumi", "locks", "organization", "fleet", fleet.stackName);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "9d4c3c4e-2a47-4a4e-9f0e-6f1f6d1a0b1c.json");
  const content = { pid: 4242, username: "runner", hostname: "fv-az123", timestamp: createdAt.toISOString() };
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const scaleUp = { client_payload: { target: "workers", delta: 1 } };

describe("a stack locked by another update", () => {
  let fleet: FleetStack;
  beforeAll(() => {
    fleet = createFleetStack({ workerCount: 3 });
  });

  it("retries until the lock-timeout, then fails, names the holder, says how to clear the lock and changes nothing", () => {
    const state = fleet.stateFile();
    const config = fleet.configFile();
    const lock = lockStack(fleet);
    const run = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp, inputs: { "lock-timeout": "4s" } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/The stack is locked by runner@fv-az123 \(pid 4242\) since .*; trying again in 1s/);
    expect(run.stdout).toMatch(/stayed locked for the whole lock-timeout \(4s\), held by runner@fv-az123 \(pid 4242\)/);
    expect(run.stdout).toMatch(/pulumi cancel --yes --stack dev/);
    expect(fleet.stateFile()).toBe(state);
    expect(fleet.configFile()).toBe(config);
    expect(fleet.poolSizeOnDisk()).toBe(3);
    expect(fleet.lockFiles()).toEqual([path.basename(lock)]);
  });

  it("does not clear a lock younger than clear-locks-older-than", () => {
    const run = runAction(fleet, {
      eventName: "repository_dispatch",
      event: scaleUp,
      inputs: { "lock-timeout": "2s", "clear-locks-older-than": "1h" },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/Clearing a stale lock/);
    expect(fleet.lockFiles()).toHaveLength(1);
    expect(fleet.poolSizeOnDisk()).toBe(3);
  });

  it("clears a lock older than clear-locks-older-than and applies the scaling", () => {
    lockStack(fleet, new Date(Date.now() - 2 * 3_600_000));
    const run = runAction(fleet, {
      eventName: "repository_dispatch",
      event: scaleUp,
      inputs: { "lock-timeout": "2s", "clear-locks-older-than": "1h" },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Clearing a stale lock held by runner@fv-az123 \(pid 4242\) since .*\(2h 0m ago\)/);
    expect(fleet.poolSizeOnDisk()).toBe(4);
    expect(fleet.lockFiles()).toEqual([]);
  });

  it("applies the scaling once the lock is released within the lock-timeout", async () => {
    const lock = lockStack(fleet);
    const action = startAction(fleet, { eventName: "repository_dispatch", event: scaleUp, inputs: { "lock-timeout": "10m" } });
    // The other holder lets go once the action has met the lock.
    await waitForOutput(action, /trying again/);
    rmSync(lock);
    const run = await action.done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/trying again/);
    expect(run.summary).toMatch(/after \d+ attempts \(stack was locked\)/);
    expect(fleet.poolSizeOnDisk()).toBe(5);
  });
});

/** Resolves once the running action has printed something matching `pattern`. */
async function waitForOutput(action: ReturnType<typeof startAction>, pattern: RegExp): Promise<void> {
  let stdout = "";
  action.child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  while (!pattern.test(stdout)) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe("a run whose count another run already applied while it waited", () => {
  it("succeeds, commits the deployed count and says another run got there first", async () => {
    const fleet = createFleetStack({ workerCount: 3, git: true });
    // Another run's update to the same count holds the stack lock mid-operation until the test
    // lets it finish, so the action decides 3 → 5 from the state before it and meets the lock.
    const release = path.join(fleet.stateDir, "release-other-update");
    fleet.pulumi(["config", "set", "workerCount", "5"]);
    fleet.pulumi(["config", "set", "poolBehaviour", JSON.stringify({ holdUntilFile: release })]);
    const other = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--target", WORKERS_URN], {
      cwd: fleet.dir,
      env: fleet.env,
      stdio: "ignore",
    });
    const otherDone = new Promise<number | null>((resolve) => other.on("close", resolve));
    await waitForFile(path.join(fleet.stateDir, "pool-workers.json.updating"));
    const action = startAction(fleet, {
      eventName: "repository_dispatch",
      event: { client_payload: { target: "workers", delta: 2 } },
      inputs: { "lock-timeout": "10m" },
    });
    await waitForOutput(action, /trying again/);
    writeFileSync(release, "");
    expect(await otherDone).toBe(0);
    const run = await action.done;
    expect(run.code).toBe(0);
    expect(run.summary).toContain("`workers` already ran at the new count when the update came: another run got there first.");
    expect(fleet.poolSizeOnDisk()).toBe(5);
    expect(fleet.git(["--git-dir", fleet.remote!, "show", "main:Pulumi.dev.yaml"])).toContain('fleet:workerCount: "5"');
  });
});
