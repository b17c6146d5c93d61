// A real Pulumi stack of the fixture program (test/fixtures/fleet) on a file backend in a fresh
// temporary directory, driven by the real Pulumi CLI from the project's toolchain.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const fixtureProgram = path.join(repoRoot, "test", "fixtures", "fleet");

let toolchainDir: string | undefined;

/** The directory of the Pulumi toolchain (built once by scripts/pulumi-toolchain.sh, then cached). */
export function pulumiToolchain(): string {
  toolchainDir ??= execFileSync("bash", [path.join(repoRoot, "scripts", "pulumi-toolchain.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  return toolchainDir;
}

export interface FleetOptions {
  workerCount?: number;
  extraResources?: number;
  bounds?: { min?: number; max?: number; maxStep?: number; secret?: boolean };
  /** Extra policy fields: `rules` for the policy, `workers` merged into the workers target. */
  policy?: { rules?: unknown[]; workers?: Record<string, unknown> };
  /** How the pool's provider behaves: slow updates, replacement instead of update. */
  poolBehaviour?: { updateDelayMs?: number; holdUntilFile?: string; replaceOnChange?: boolean };
  /** Widgets that depend on the pool, and are replaced when it changes. */
  widgetBehaviour?: { followPool?: boolean; replaceOnChange?: boolean };
  /** Make the program directory a git checkout of a bare `origin` remote, as actions/checkout leaves it. */
  git?: boolean;
  /** Keep the stack settings file in this directory of the project (Pulumi.yaml `stackConfigDir`). */
  stackConfigDir?: string;
}

export interface FleetStack {
  /** The program directory (a copy of the fixture), the action's work-dir. */
  readonly dir: string;
  /** Where the fixture's resources leave their files. */
  readonly stateDir: string;
  readonly backendDir: string;
  readonly stackName: string;
  /** Environment for the Pulumi CLI and the action: toolchain first on PATH, file backend. */
  readonly env: NodeJS.ProcessEnv;
  /** Runs the Pulumi CLI in the program directory; throws on a non-zero exit. */
  pulumi(args: string[]): string;
  /** The pool size the "cloud" holds: what the pool resource last wrote. */
  poolSizeOnDisk(): number;
  widgetLabelOnDisk(index: number): string;
  /** The stack settings file, as text. */
  configFile(): string;
  outputs(): Record<string, unknown>;
  /** The stack's checkpoint, as text: what Pulumi's state holds. */
  stateFile(): string;
  /** The bare remote, when created with `git: true`. */
  readonly remote?: string;
  /** Runs git in the program directory (or `cwd`). */
  git(args: string[], cwd?: string): string;
  /** Lock files the backend holds for the stack. */
  lockFiles(): string[];
}

export function createFleetStack(options: FleetOptions = {}): FleetStack {
  const root = mkdtempSync(path.join(tmpdir(), "pulumiscale-fleet-"));
  const dir = path.join(root, "program");
  const stateDir = path.join(root, "cloud");
  const backendDir = path.join(root, "backend");
  mkdirSync(backendDir);
  cpSync(fixtureProgram, dir, { recursive: true });
  // The program resolves @pulumi/pulumi (and ts-node) from the repository's node_modules.
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [pulumiToolchain(), path.join(repoRoot, "node_modules", ".bin"), process.env["PATH"]].join(path.delimiter),
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_HOME: path.join(root, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  const pulumi = (args: string[]) =>
    execFileSync("pulumi", [...args, "--non-interactive"], { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const stackName = "dev";
  if (options.stackConfigDir) {
    mkdirSync(path.join(dir, options.stackConfigDir), { recursive: true });
    writeFileSync(path.join(dir, "Pulumi.yaml"), `${readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")}stackConfigDir: ${options.stackConfigDir}\n`);
  }
  pulumi(["stack", "init", stackName]);
  // The config is written into the settings file as `pulumi config set` writes it (every value a
  // string), in one write instead of a CLI process per key.
  const config: Record<string, unknown> = {
    stateDir,
    workerCount: options.workerCount ?? 3,
    extraResources: options.extraResources ?? 1,
    bounds: options.bounds,
    poolBehaviour: options.poolBehaviour,
    widgetBehaviour: options.widgetBehaviour,
    policy: options.policy,
  };
  const settingsFile = path.join(dir, options.stackConfigDir ?? ".", `Pulumi.${stackName}.yaml`);
  const lines = Object.entries(config)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `  fleet:${key}: ${JSON.stringify(typeof value === "object" ? JSON.stringify(value) : String(value))}\n`);
  writeFileSync(settingsFile, `${existsSync(settingsFile) ? readFileSync(settingsFile, "utf8") : ""}config:\n${lines.join("")}`);
  pulumi(["up", "--yes", "--skip-preview"]);
  const git = (args: string[], cwd = dir) =>
    execFileSync("git", ["-c", "user.name=Fleet Maintainer", "-c", "user.email=maintainer@example.com", ...args], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  let remote: string | undefined;
  if (options.git) {
    remote = path.join(root, "origin.git");
    git(["init", "--quiet", "--bare", "--initial-branch", "main", remote], root);
    writeFileSync(path.join(dir, ".gitignore"), "node_modules\n");
    git(["init", "--quiet", "--initial-branch", "main"]);
    git(["add", "-A"]);
    git(["commit", "--quiet", "-m", "fleet: initial deployment"]);
    git(["remote", "add", "origin", remote]);
    git(["push", "--quiet", "-u", "origin", "main"]);
  }
  const lockDir = path.join(backendDir, ".pulumi", "locks", "organization", "fleet", stackName);
  const stateFile = () => readFileSync(path.join(backendDir, ".pulumi", "stacks", "fleet", `${stackName}.json`), "utf8");
  return {
    dir,
    stateDir,
    backendDir,
    stackName,
    env,
    pulumi,
    poolSizeOnDisk: () => JSON.parse(readFileSync(path.join(stateDir, "pool-workers.json"), "utf8")).size,
    widgetLabelOnDisk: (index) => JSON.parse(readFileSync(path.join(stateDir, `widget-${index}.json`), "utf8")).label,
    configFile: () => readFileSync(path.join(dir, options.stackConfigDir ?? ".", `Pulumi.${stackName}.yaml`), "utf8"),
    outputs: () => JSON.parse(pulumi(["stack", "output", "--json", "--show-secrets"])),
    stateFile,
    ...(remote ? { remote } : {}),
    git,
    lockFiles: () => (existsSync(lockDir) ? readdirSync(lockDir).filter((file) => file.endsWith(".json")) : []),
  };
}

export interface ActionRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

export interface ActionRunRequest {
  inputs?: Record<string, string>;
  eventName: string;
  event: unknown;
  env?: NodeJS.ProcessEnv;
  /** The project directory to run in; the fleet's own by default (e.g. another clone). */
  workDir?: string;
}

interface PreparedRun {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly result: (code: number, stdout: string, stderr: string) => ActionRun;
}

/** Writes the event and empty output files, and builds the environment a runner gives an action. */
function prepareRun(stack: FleetStack, run: ActionRunRequest): PreparedRun {
  const dir = mkdtempSync(path.join(tmpdir(), "pulumiscale-run-"));
  const eventPath = path.join(dir, "event.json");
  const outputPath = path.join(dir, "output.txt");
  const summaryPath = path.join(dir, "summary.md");
  writeFileSync(eventPath, JSON.stringify(run.event));
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");
  const cwd = run.workDir ?? stack.dir;
  const inputs = { stack: stack.stackName, "work-dir": cwd, ...run.inputs };
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, "_").toUpperCase()}`, value]),
  );
  return {
    cwd,
    env: {
      ...stack.env,
      ...inputEnv,
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: run.eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_WORKSPACE: cwd,
      ...run.env,
    },
    result: (code, stdout, stderr) => ({
      code,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(outputPath, "utf8")),
      summary: readFileSync(summaryPath, "utf8"),
    }),
  };
}

const bundle = () => path.join(repoRoot, "dist", "index.js");

/**
 * Runs the committed bundle exactly as a GitHub runner runs a node24 action: `node dist/index.js`
 * with INPUT_* variables, the event in GITHUB_EVENT_PATH, and files for outputs and the summary.
 */
export function runAction(stack: FleetStack, run: ActionRunRequest): ActionRun {
  const prepared = prepareRun(stack, run);
  // The time limit only stops a hung run; a run on a slow machine takes far less.
  const result = spawnSync(process.execPath, [bundle()], { cwd: prepared.cwd, env: prepared.env, encoding: "utf8", timeout: 900_000 });
  return prepared.result(result.status ?? -1, result.stdout, result.stderr);
}

/** Starts the action in the background; `done` resolves when it exits. */
export function startAction(stack: FleetStack, run: ActionRunRequest): { child: ChildProcess; done: Promise<ActionRun> } {
  const prepared = prepareRun(stack, run);
  const child = spawn(process.execPath, [bundle()], { cwd: prepared.cwd, env: prepared.env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<ActionRun>((resolve) => {
    child.on("close", (code, signal) => resolve(prepared.result(code ?? (signal ? 128 : -1), stdout, stderr)));
  });
  return { child, done };
}

/** Resolves once `file` exists (polling), or rejects after `timeoutMs`, which only stops a hung test. */
export async function waitForFile(file: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGKILLs a process and every process below it: a runner machine that dies mid-update. */
export function killTree(pid: number): void {
  const table = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const doomed = [pid];
  for (let i = 0; i < doomed.length; i++) {
    for (const [child, parent] of table) if (parent === doomed[i]) doomed.push(child);
  }
  for (const victim of doomed) {
    try {
      process.kill(victim, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** Reads GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
    outputs[name!] = value.join("\n");
  }
  return outputs;
}
