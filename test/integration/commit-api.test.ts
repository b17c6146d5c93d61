// On GitHub, the new count is committed through GitHub's GraphQL API (createCommitOnBranch), so
// GitHub signs the commit and a concurrent push is caught by expectedHeadOid. The API is a
// loopback stand-in backed by the fleet's bare remote; every request is checked against GitHub's
// published schema. The action runs as the runner runs it: `node dist/index.js`.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { writeConfigScalar } from "../../src/git/settings-file.js";
import { createFleetStack, startAction, waitForFile, type ActionRunRequest, type FleetStack } from "../support/fleet.js";
import { startGraphqlStandIn, type GraphqlStandIn } from "../support/github-graphql.js";

const TOKEN = "ghs_standInToken";
const REPOSITORY = "octo-org/fleet";
const scale = (delta: number) => ({ client_payload: { target: "workers", delta } });

describe("commit-back through GitHub's API", () => {
  let fleet: FleetStack;
  let github: GraphqlStandIn;

  /** git in the bare remote, the repository the stand-in plays GitHub for. */
  const remoteGit = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
    execFileSync("git", ["-c", "user.name=Other", "-c", "user.email=other@example.com", "--git-dir", fleet.remote!, ...args], {
      encoding: "utf8",
      env: { ...process.env, ...options.env },
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
  const remoteFile = (file: string) => remoteGit(["show", `main:${file}`]);
  const remoteHead = () => remoteGit(["rev-parse", "main"]).trim();
  const subjects = (count: number) => remoteGit(["log", "--format=%s", `-${count}`, "main"]).trim().split("\n");
  /** Someone else lands a commit on main, with the settings file as `settingsFile` makes it. */
  const pushElsewhere = (subject: string, settingsFile?: (text: string) => string) => {
    const head = remoteHead();
    const env = { GIT_INDEX_FILE: path.join(fleet.remote!, "other-index") };
    remoteGit(["read-tree", head], { env });
    if (settingsFile) {
      const blob = remoteGit(["hash-object", "-w", "--stdin"], { input: settingsFile(remoteFile("Pulumi.dev.yaml")) }).trim();
      remoteGit(["update-index", "--cacheinfo", `100644,${blob},Pulumi.dev.yaml`], { env });
    }
    const tree = remoteGit(["write-tree"], { env }).trim();
    const commit = remoteGit(["commit-tree", tree, "-p", head, "-m", subject]).trim();
    remoteGit(["update-ref", "refs/heads/main", commit, head]);
  };
  /** The environment a GitHub runner gives the step, with the API pointed at the stand-in. */
  const run = (request: Omit<ActionRunRequest, "eventName">) =>
    startAction(fleet, {
      eventName: "repository_dispatch",
      ...request,
      inputs: { "github-token": TOKEN, ...request.inputs },
      env: {
        GITHUB_REPOSITORY: REPOSITORY,
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_API_URL: github.apiUrl,
        GITHUB_GRAPHQL_URL: github.graphqlUrl,
        ...request.env,
      },
    });
  const operations = () => github.requests.map((r) => r.operationName);

  beforeAll(async () => {
    fleet = createFleetStack({ workerCount: 3, git: true });
    // As actions/checkout leaves it: origin is the repository on GitHub. git never talks to it
    // here; the stand-in plays GitHub, on the bare repository the tests read.
    fleet.git(["remote", "set-url", "origin", `https://github.com/${REPOSITORY}.git`]);
    github = await startGraphqlStandIn({ gitDir: fleet.remote!, repository: REPOSITORY, token: TOKEN });
  });
  afterAll(() => github.close());
  beforeEach(() => {
    github.requests.length = 0;
    delete github.beforeCommit;
  });
  afterEach(() => {
    // Every request the action made was one GitHub's schema accepts.
    expect(github.invalid).toEqual([]);
  });

  it("commits the new count through the API with the decision as the message", async () => {
    const result = await run({ event: scale(2) }).done;
    expect(result.code).toBe(0);
    expect(remoteFile("Pulumi.dev.yaml")).toMatch(/fleet:workerCount: "5"/);
    const commit = remoteGit(["log", "-1", "--format=%an <%ae>|%cn|%B", "main"]);
    expect(commit).toMatch(/^github-actions\[bot\] <41898282\+github-actions\[bot\]@users\.noreply\.github\.com>\|GitHub\|PulumiScale: workers 3 → 5\n\n/);
    expect(commit).toMatch(/pulumiscale-record/i);
    expect(result.summary).toMatch(/Stack config committed to `main` as [0-9a-f]{12} through GitHub's API \(signed by GitHub\)\./);
    expect(operations()).toEqual(["PulumiScaleReadHead", "PulumiScaleCommit"]);
    expect(fleet.poolSizeOnDisk()).toBe(5);
  });

  it("retries from the new head when someone pushes between its read and its commit", async () => {
    let raced = false;
    github.beforeCommit = () => {
      if (raced) return;
      raced = true;
      // Another commit lands on main: the mutation's expectedHeadOid is now stale.
      pushElsewhere("chore: concurrent push");
    };
    const result = await run({ event: scale(-1) }).done;
    expect(result.code).toBe(0);
    expect(result.summary).toMatch(/committed to `main` as [0-9a-f]{12} through GitHub's API \(signed by GitHub\) \(after 2 attempts\)\./);
    expect(operations()).toEqual(["PulumiScaleReadHead", "PulumiScaleCommit", "PulumiScaleReadHead", "PulumiScaleCommit"]);
    expect(subjects(2)).toEqual(["PulumiScale: workers 5 → 4", "chore: concurrent push"]);
    expect(remoteFile("Pulumi.dev.yaml")).toMatch(/fleet:workerCount: "4"/);
  });

  it("writes the deployed count when the head it retries from changed the same key", async () => {
    let raced = false;
    github.beforeCommit = () => {
      if (raced) return;
      raced = true;
      // Someone commits nine workers (and an unrelated key) while this run commits.
      pushElsewhere("ops: nine workers", (text) => writeConfigScalar(writeConfigScalar(text, "fleet:workerCount", "9"), "fleet:label", "blue"));
    };
    const result = await run({ event: scale(1) }).done;
    expect(result.code).toBe(0);
    const remote = remoteFile("Pulumi.dev.yaml");
    expect(remote).toMatch(/fleet:workerCount: "5"/);
    expect(remote).toMatch(/fleet:label: "blue"/);
    expect(result.summary).toMatch(/`fleet:workerCount` had been changed upstream to 9; the deployed 5 was written instead/);
    expect(subjects(2)).toEqual(["PulumiScale: workers 4 → 5", "ops: nine workers"]);
  });

  it("fails the step after the update when GitHub refuses the mutation, saying what runs and how to reconcile", async () => {
    const before = remoteHead();
    github.beforeCommit = () => {
      throw new Error("Resource not accessible by integration");
    };
    const result = await run({ event: scale(1) }).done;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/The scaling was applied \(workers 5 → 6; the stack state and the infrastructure hold the new counts\)/);
    expect(result.stdout).toMatch(/committing the stack config back failed: GitHub's createCommitOnBranch on main of octo-org\/fleet failed after 1 attempt\(s\): Resource not accessible by integration/);
    expect(result.stdout).toMatch(/pulumi config set workerCount 6 --stack dev/);
    expect(result.outputs).toMatchObject({ changed: "true", desired: "6" });
    expect(fleet.poolSizeOnDisk()).toBe(6);
    expect(remoteHead()).toBe(before);
  });

  it("commits nothing on a dry run, a failed update or a cancelled one", async () => {
    const before = remoteHead();
    const dry = await run({ event: scale(1), inputs: { "dry-run": "true" } }).done;
    expect(dry.code).toBe(0);
    expect(dry.outputs).toMatchObject({ changed: "true" });

    // The update itself fails: the pool's "cloud" file cannot be written.
    const pool = path.join(fleet.stateDir, "pool-workers.json");
    const deployed = readFileSync(pool, "utf8");
    rmSync(pool);
    mkdirSync(pool);
    const failed = await run({ event: scale(1) }).done;
    rmSync(pool, { recursive: true });
    writeFileSync(pool, deployed);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/EISDIR/);

    // Cancelled while the update runs.
    fleet.pulumi(["config", "set", "poolBehaviour", JSON.stringify({ updateDelayMs: 4000 })]);
    const slow = run({ event: scale(1) });
    await waitForFile(path.join(fleet.stateDir, "pool-workers.json.updating"));
    slow.child.kill("SIGTERM");
    const cancelled = await slow.done;
    expect(cancelled.code).toBe(1);
    expect(cancelled.stdout).toMatch(/The run was cancelled while updating stack "dev"/);

    expect(operations()).toEqual([]);
    expect(remoteHead()).toBe(before);
  });
});
