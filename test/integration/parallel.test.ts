// Several runs against one stack at once, with no concurrency group, each in its own checkout as
// separate GitHub jobs would be: the stack lock serialises the updates, commit-back serialises the
// pushes, and at the end the repository's config matches what is deployed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createFleetStack, repoRoot, startAction, type ActionRun, type FleetStack } from "../support/fleet.js";

const RUNS = 4;

describe(`${RUNS} parallel runs against one stack`, () => {
  let fleet: FleetStack;
  let runs: ActionRun[];

  beforeAll(async () => {
    fleet = createFleetStack({ workerCount: 3, git: true });
    const checkouts = Array.from({ length: RUNS }, () => {
      const dir = path.join(mkdtempSync(path.join(tmpdir(), "pulumiscale-job-")), "fleet");
      fleet.git(["clone", "--quiet", fleet.remote!, dir], path.dirname(dir));
      symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
      return dir;
    });
    runs = await Promise.all(
      checkouts.map(
        (workDir, index) =>
          startAction(fleet, {
            workDir,
            eventName: "repository_dispatch",
            event: { client_payload: { target: "workers", delta: index % 2 === 0 ? 2 : 1 } },
            inputs: { "lock-timeout": "3m" },
          }).done,
      ),
    );
  });

  it("every run either applies or fails cleanly", () => {
    for (const run of runs) {
      if (run.code === 0) expect(run.outputs["changed"]).toBe("true");
      else expect(run.stdout).toMatch(/stayed locked for the whole lock-timeout/);
    }
    expect(runs.filter((run) => run.code === 0).length).toBeGreaterThan(0);
  });

  it("leaves a readable state with no lock and no pending operation", () => {
    expect(fleet.lockFiles()).toEqual([]);
    const exported = JSON.parse(fleet.pulumi(["stack", "export"]));
    expect(exported.deployment.pending_operations ?? []).toEqual([]);
  });

  it("ends with the repository's config equal to the deployed count, so pulumi up changes nothing", () => {
    const deployed = fleet.outputs()["poolSize"] as number;
    expect(fleet.poolSizeOnDisk()).toBe(deployed);
    expect(fleet.git(["--git-dir", fleet.remote!, "show", "main:Pulumi.dev.yaml"])).toContain(`fleet:workerCount: "${deployed}"`);
    const clone = path.join(mkdtempSync(path.join(tmpdir(), "pulumiscale-after-")), "fleet");
    fleet.git(["clone", "--quiet", fleet.remote!, clone], path.dirname(clone));
    symlinkSync(path.join(repoRoot, "node_modules"), path.join(clone, "node_modules"));
    const preview = spawnSync("pulumi", ["preview", "--expect-no-changes", "--stack", "dev", "--non-interactive"], {
      cwd: clone,
      env: fleet.env,
      encoding: "utf8",
    });
    expect(preview.status).toBe(0);
  });
});
