import { InputError } from "../../src/errors.js";
import { parseDuration, readSettings } from "../../src/settings.js";

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? "";

describe("readSettings", () => {
  it("applies the documented defaults", () => {
    expect(readSettings(reader({ stack: "org/fleet/prod" }), "/repo")).toEqual({
      stack: "org/fleet/prod",
      workDir: "/repo",
      policyOutput: "pulumiscale",
      dryRun: false,
      lockTimeoutMs: 120_000,
      previewGate: true,
      targetDependents: false,
      commitBack: "auto",
      commitAuthor: "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>",
      commitMethod: "auto",
      githubToken: "",
    });
  });

  it("resolves work-dir against the workspace and reads every input", () => {
    const settings = readSettings(
      reader({
        stack: "prod",
        "work-dir": "infra",
        "policy-output": "scaling",
        "dry-run": "true",
        "lock-timeout": "90s",
        "clear-locks-older-than": "30m",
        "preview-gate": "false",
        "target-dependents": "true",
        "commit-back": "false",
        "commit-branch": "release/v2",
        "commit-author": "Scaler <scaler@example.com>",
        "commit-method": "API",
        "github-token": " ghs_token ",
        target: "web",
        delta: "+2",
      }),
      "/repo",
    );
    expect(settings).toEqual({
      stack: "prod",
      workDir: "/repo/infra",
      policyOutput: "scaling",
      dryRun: true,
      lockTimeoutMs: 90_000,
      clearLocksOlderThanMs: 1_800_000,
      previewGate: false,
      targetDependents: true,
      commitBack: "never",
      commitBranch: "release/v2",
      commitAuthor: "Scaler <scaler@example.com>",
      commitMethod: "api",
      githubToken: "ghs_token",
      inputRequest: { target: "web", delta: "+2" },
    });
  });

  it.each([
    [{ stack: "" }, 'stack: expected a stack name such as prod, my-org/prod or my-org/my-project/prod, got ""'],
    [{ stack: "a/b/c/d" }, 'stack: expected a stack name such as prod, my-org/prod or my-org/my-project/prod, got "a/b/c/d"'],
    [{ stack: "prod", "dry-run": "maybe" }, 'dry-run: expected true or false, got "maybe"'],
    [{ stack: "prod", "commit-back": "sometimes" }, 'commit-back: expected auto, true or false, got "sometimes"'],
    [{ stack: "prod", "commit-method": "push" }, 'commit-method: expected auto, api or git, got "push"'],
    [{ stack: "prod", "commit-author": "bot" }, 'commit-author: expected Name <email>, got "bot"'],
    [{ stack: "prod", "commit-branch": "a b" }, 'commit-branch: expected a branch name such as main, got "a b"'],
    [{ stack: "prod", "clear-locks-older-than": "old" }, 'clear-locks-older-than: expected a duration such as 90s, 5m or 1h, got "old"'],
    [{ stack: "prod", "clear-locks-older-than": "30s" }, 'clear-locks-older-than: expected a duration of at least 1m, longer than your longest update, got "30s"'],
    [{ stack: "prod", "lock-timeout": "7d" }, 'lock-timeout: expected a duration such as 90s, 5m or 1h, got "7d"'],
    [{ stack: "prod", "policy-output": "my output" }, 'policy-output: expected the name of a stack output, such as pulumiscale, got "my output"'],
    [{ stack: "prod", delta: "2" }, 'target: expected a target name when delta or count is given, got ""'],
    [{ stack: "prod", target: "web" }, 'delta: expected a delta or a count when target is given, got ""'],
    [{ stack: "prod", target: "web", delta: "1", count: "3" }, 'count: expected nothing when delta is also given (give one of them), got "3"'],
  ])("rejects %j", (inputs, message) => {
    expect(() => readSettings(reader(inputs), "/repo")).toThrow(InputError);
    expect(() => readSettings(reader(inputs), "/repo")).toThrow(message);
  });
});

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["30", 30_000],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
  ])("%s is %i ms", (text, ms) => {
    expect(parseDuration("lock-timeout", text)).toBe(ms);
  });

  it("refuses more than a job can run", () => {
    expect(() => parseDuration("lock-timeout", "7h")).toThrow("lock-timeout: expected a duration of at most 6h");
  });
});
