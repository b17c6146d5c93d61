// After a successful scaling, the new count lands in the repository, where a normal `pulumi up`
// reads it: real git repositories with a bare remote.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createFleetStack, repoRoot, runAction, type FleetStack } from "../support/fleet.js";

const scale = (delta: number) => ({ client_payload: { target: "workers", delta } });

/** What the remote's main branch holds for a file. */
const remoteFile = (fleet: FleetStack, file: string) => fleet.git(["--git-dir", fleet.remote!, "show", `main:${file}`]);

/** Another clone of the remote, where someone else works. */
function cloneRemote(fleet: FleetStack): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "pulumiscale-clone-")), "fleet");
  fleet.git(["clone", "--quiet", fleet.remote!, dir], path.dirname(dir));
  return dir;
}

describe("commit-back", () => {
  let fleet: FleetStack;
  beforeAll(() => {
    fleet = createFleetStack({ workerCount: 3, git: true });
  });

  it("commits the new count with the decision as message, and a normal pulumi up from the repository changes nothing", () => {
    const run = runAction(fleet, { eventName: "repository_dispatch", event: scale(2) });
    expect(run.code).toBe(0);
    expect(remoteFile(fleet, "Pulumi.dev.yaml")).toMatch(/fleet:workerCount: "5"/);
    const message = fleet.git(["--git-dir", fleet.remote!, "log", "-1", "--format=%an <%ae>%n%B", "main"]);
    expect(message).toMatch(/^github-actions\[bot\] <41898282\+github-actions\[bot\]@users\.noreply\.github\.com>\nPulumiScale: workers 3 → 5/);
    expect(run.summary).toMatch(/Stack config committed to `main` as [0-9a-f]{12}\./);

    // Someone deploys from a fresh clone of the repository: the scaling is not undone.
    const clone = cloneRemote(fleet);
    symlinkSync(path.join(repoRoot, "node_modules"), path.join(clone, "node_modules"));
    const preview = runPulumi(fleet, clone, ["preview", "--expect-no-changes", "--stack", "dev"]);
    expect(preview.code).toBe(0);
    expect(fleet.poolSizeOnDisk()).toBe(5);
  });

  it("rebases over an unrelated upstream commit and succeeds", () => {
    const other = cloneRemote(fleet);
    writeFileSync(path.join(other, "README.md"), "fleet\n");
    fleet.git(["add", "README.md"], other);
    fleet.git(["commit", "--quiet", "-m", "docs: readme"], other);
    fleet.git(["push", "--quiet", "origin", "main"], other);

    const run = runAction(fleet, { eventName: "repository_dispatch", event: scale(1) });
    expect(run.code).toBe(0);
    expect(remoteFile(fleet, "Pulumi.dev.yaml")).toMatch(/fleet:workerCount: "6"/);
    expect(remoteFile(fleet, "README.md")).toBe("fleet\n");
    const subjects = fleet.git(["--git-dir", fleet.remote!, "log", "--format=%s", "-3", "main"]).trim().split("\n");
    expect(subjects).toEqual(["PulumiScale: workers 5 → 6", "docs: readme", "PulumiScale: workers 3 → 5"]);
  });

  it("retries when someone else pushes between its fetch and its push", () => {
    // The remote's hook lands another commit on main while our push is being received, once:
    // the push is then refused as out of date, exactly as in a race with another pusher.
    const hook = path.join(fleet.remote!, "hooks", "pre-receive");
    const marker = path.join(fleet.remote!, "raced");
    writeFileSync(
      hook,
      [
        "#!/bin/sh",
        `[ -e '${marker}' ] && exit 0`,
        `touch '${marker}'`,
        "unset GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_QUARANTINE_PATH",
        "old=$(git rev-parse refs/heads/main)",
        "new=$(git -c user.name=Other -c user.email=other@example.com commit-tree \"$old^{tree}\" -p \"$old\" -m 'chore: concurrent push')",
        'git update-ref refs/heads/main "$new" "$old"',
        "exit 0",
        "",
      ].join("\n"),
    );
    chmodSync(hook, 0o755);
    try {
      const run = runAction(fleet, { eventName: "repository_dispatch", event: scale(-1) });
      expect(run.code).toBe(0);
      expect(run.summary).toMatch(/Stack config committed to `main` as [0-9a-f]{12} \(after 2 attempts\)\./);
      const subjects = fleet.git(["--git-dir", fleet.remote!, "log", "--format=%s", "-2", "main"]).trim().split("\n");
      expect(subjects).toEqual(["PulumiScale: workers 6 → 5", "chore: concurrent push"]);
      expect(remoteFile(fleet, "Pulumi.dev.yaml")).toMatch(/fleet:workerCount: "5"/);
    } finally {
      writeFileSync(hook, "#!/bin/sh\nexit 0\n");
    }
  });

  it("writes the deployed count when someone changed the same key upstream, and says so", () => {
    const other = cloneRemote(fleet);
    runPulumi(fleet, other, ["config", "set", "workerCount", "9", "--stack", "dev"]);
    runPulumi(fleet, other, ["config", "set", "label", "blue", "--stack", "dev"]);
    fleet.git(["commit", "--quiet", "-am", "ops: nine workers"], other);
    fleet.git(["push", "--quiet", "origin", "main"], other);

    const run = runAction(fleet, { eventName: "repository_dispatch", event: scale(1) });
    expect(run.code).toBe(0);
    const remote = remoteFile(fleet, "Pulumi.dev.yaml");
    expect(remote).toMatch(/fleet:workerCount: "6"/);
    expect(remote).toMatch(/fleet:label: blue/);
    expect(run.summary).toMatch(/`fleet:workerCount` had been changed upstream to 9; the deployed 6 was written instead/);
    expect(fleet.poolSizeOnDisk()).toBe(6);
  });

  it("fails clearly when the push is refused, reporting the applied scaling", () => {
    const hook = path.join(fleet.remote!, "hooks", "pre-receive");
    writeFileSync(hook, "#!/bin/sh\necho 'permission denied to github-actions[bot]' >&2\nexit 1\n");
    chmodSync(hook, 0o755);
    try {
      const run = runAction(fleet, { eventName: "repository_dispatch", event: scale(1) });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/The scaling was applied \(workers 6 → 7; the stack state and the infrastructure hold the new counts\)/);
      expect(run.stdout).toMatch(/but committing the stack config back failed: pushing to main failed after 1 attempt\(s\): .*permission denied/);
      expect(run.stdout).toMatch(/pulumi config set workerCount 7 --stack dev/);
      expect(run.outputs).toMatchObject({ changed: "true", desired: "7" });
      expect(fleet.poolSizeOnDisk()).toBe(7);
      expect(remoteFile(fleet, "Pulumi.dev.yaml")).toMatch(/fleet:workerCount: "6"/);
    } finally {
      writeFileSync(hook, "#!/bin/sh\nexit 0\n");
    }
  });

  it("commits nothing on a dry run or a failed update", () => {
    const head = fleet.git(["--git-dir", fleet.remote!, "rev-parse", "main"]);
    const dry = runAction(fleet, { eventName: "repository_dispatch", event: scale(1), inputs: { "dry-run": "true" } });
    expect(dry.code).toBe(0);
    fleet.pulumi(["config", "set", "poolBehaviour", JSON.stringify({ replaceOnChange: true })]);
    const failed = runAction(fleet, { eventName: "repository_dispatch", event: scale(1) });
    expect(failed.code).toBe(1);
    expect(fleet.git(["--git-dir", fleet.remote!, "rev-parse", "main"])).toBe(head);
  });
});

describe("commit-back with stackConfigDir", () => {
  it("commits the settings file where the project keeps it, and restores it on a dry run", () => {
    const fleet = createFleetStack({ workerCount: 3, git: true, stackConfigDir: "stacks" });
    const dry = runAction(fleet, { eventName: "repository_dispatch", event: scale(1), inputs: { "dry-run": "true" } });
    expect(dry.code).toBe(0);
    expect(fleet.configFile()).toMatch(/fleet:workerCount: "3"/);
    const run = runAction(fleet, { eventName: "repository_dispatch", event: scale(1) });
    expect(run.code).toBe(0);
    expect(remoteFile(fleet, "stacks/Pulumi.dev.yaml")).toMatch(/fleet:workerCount: "4"/);
    expect(fleet.poolSizeOnDisk()).toBe(4);
  });
});

function runPulumi(fleet: FleetStack, cwd: string, args: string[]): { code: number; output: string } {
  const result = spawnSync("pulumi", [...args, "--non-interactive"], { cwd, env: fleet.env, encoding: "utf8" });
  return { code: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
