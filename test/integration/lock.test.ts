// Another process holds the stack lock: the action retries until lock-timeout, then fails clearly.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import path from "node:path";
import { createFleetStack, runAction, type FleetStack } from "../support/fleet.js";

/** Leaves a lock as a Pulumi process of this machine does while it updates the stack. */
function lockStack(fleet: FleetStack): string {
  const dir = path.join(fleet.backendDir, ".pulumi", "locks", "organization", "fleet", fleet.stackName);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "9d4c3c4e-2a47-4a4e-9f0e-6f1f6d1a0b1c.json");
  const content = { pid: process.pid, username: userInfo().username, hostname: hostname(), timestamp: new Date().toISOString() };
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const scaleUp = { client_payload: { target: "workers", delta: 1 } };

describe("a stack locked by another update", () => {
  let fleet: FleetStack;
  beforeAll(() => {
    fleet = createFleetStack({ workerCount: 3 });
  });

  it("retries until the lock-timeout, then fails, says how to clear the lock and changes nothing", () => {
    const state = fleet.stateFile();
    const config = fleet.configFile();
    lockStack(fleet);
    const run = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp, inputs: { "lock-timeout": "4s" } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/locked by another update; trying again in 1s/);
    expect(run.stdout).toMatch(/stayed locked by another update for the whole lock-timeout \(4s\)/);
    expect(run.stdout).toMatch(/pulumi cancel --stack dev/);
    expect(fleet.stateFile()).toBe(state);
    expect(fleet.configFile()).toBe(config);
    expect(fleet.poolSizeOnDisk()).toBe(3);
  });

  it("applies the scaling once the lock is released within the lock-timeout", () => {
    const lock = lockStack(fleet);
    // Another process releases the lock a few seconds into the run.
    spawn("sh", ["-c", `sleep 3 && rm -f '${lock}'`], { stdio: "ignore", detached: true }).unref();
    const run = runAction(fleet, { eventName: "repository_dispatch", event: scaleUp, inputs: { "lock-timeout": "60s" } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/trying again/);
    expect(run.summary).toMatch(/after \d+ attempts \(stack was locked\)/);
    expect(fleet.poolSizeOnDisk()).toBe(4);
  });
});
