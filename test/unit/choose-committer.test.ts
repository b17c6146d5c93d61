// How a run commits back is chosen once, from the settings and the runner's environment.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ActionError } from "../../src/errors.js";
import { githubRepository, planCommit, remoteIsRepository } from "../../src/git/choose-committer.js";
import type { Settings } from "../../src/settings.js";

const github = { owner: "octo-org", name: "fleet" };

describe("remoteIsRepository", () => {
  it.each([
    "https://github.com/octo-org/fleet",
    "https://github.com/octo-org/fleet.git",
    "https://x-access-token@github.com/Octo-Org/Fleet/",
    "git@github.com:octo-org/fleet.git",
    "ssh://git@github.com/octo-org/fleet",
  ])("%s is octo-org/fleet on github.com", (remote) => {
    expect(remoteIsRepository(remote, github, "https://github.com")).toBe(true);
  });

  it.each([
    "https://github.com/octo-org/fleet-infra",
    "https://github.com/someone/fleet",
    "https://gitlab.com/octo-org/fleet",
    "https://github.example.com/octo-org/fleet",
    "/srv/git/octo-org/fleet.git",
    "../fleet.git",
  ])("%s is not", (remote) => {
    expect(remoteIsRepository(remote, github, "https://github.com")).toBe(false);
  });

  it("takes the host from GITHUB_SERVER_URL (GitHub Enterprise Server)", () => {
    expect(remoteIsRepository("https://github.example.com/octo-org/fleet", github, "https://github.example.com")).toBe(true);
  });
});

describe("githubRepository", () => {
  const env = { GITHUB_REPOSITORY: "octo-org/fleet", GITHUB_API_URL: "https://api.github.com", GITHUB_GRAPHQL_URL: "https://api.github.com/graphql" };
  it("reads the runner's variables", () => {
    expect(githubRepository(env)).toEqual({ owner: "octo-org", name: "fleet", graphqlUrl: "https://api.github.com/graphql" });
  });
  it.each(["GITHUB_REPOSITORY", "GITHUB_API_URL", "GITHUB_GRAPHQL_URL"])("is undefined without %s", (name) => {
    expect(githubRepository({ ...env, [name]: "" })).toBeUndefined();
  });
});

describe("planCommit", () => {
  const checkout = (origin: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), "pulumiscale-choose-"));
    execFileSync("git", ["init", "--quiet", dir]);
    execFileSync("git", ["-C", dir, "remote", "add", "origin", origin]);
    return dir;
  };
  const settings = (workDir: string, overrides: Partial<Settings> = {}): Settings => ({
    stack: "dev",
    workDir,
    policyOutput: "pulumiscale",
    dryRun: false,
    lockTimeoutMs: 1000,
    previewGate: true,
    targetDependents: false,
    commitBack: "auto",
    commitAuthor: "Scaler <scaler@example.com>",
    commitMethod: "auto",
    githubToken: "ghs_token",
    ...overrides,
  });
  const onGitHub = {
    GITHUB_REPOSITORY: "octo-org/fleet",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: "https://api.github.com",
    GITHUB_GRAPHQL_URL: "https://api.github.com/graphql",
  };
  const method = async (s: Settings, env: NodeJS.ProcessEnv) => {
    const plan = await planCommit(s, env);
    return "committer" in plan ? plan.committer.method : `skip: ${plan.skip}`;
  };

  it("auto: the API for the workflow's own repository with a token, git otherwise", async () => {
    const own = checkout("https://github.com/octo-org/fleet");
    expect(await method(settings(own), onGitHub)).toBe("api");
    expect(await method(settings(own, { githubToken: "" }), onGitHub)).toBe("git");
    expect(await method(settings(own), { ...onGitHub, GITHUB_GRAPHQL_URL: "" })).toBe("git");
    expect(await method(settings(checkout("git@gitlab.com:octo-org/fleet.git")), onGitHub)).toBe("git");
  });

  it("follows commit-method and commit-back", async () => {
    const own = checkout("https://github.com/octo-org/fleet");
    expect(await method(settings(own, { commitMethod: "git" }), onGitHub)).toBe("git");
    expect(await method(settings(checkout("/srv/git/fleet.git"), { commitMethod: "api" }), onGitHub)).toBe("api");
    expect(await method(settings(own, { commitBack: "never" }), onGitHub)).toBe("skip: commit-back is off");
    const notACheckout = mkdtempSync(path.join(tmpdir(), "pulumiscale-choose-"));
    expect(await method(settings(notACheckout), onGitHub)).toBe("skip: the project is not in a git checkout with an origin remote");
  });

  it("refuses, before anything changes, what cannot work", async () => {
    const own = checkout("https://github.com/octo-org/fleet");
    await expect(planCommit(settings(own, { commitMethod: "api", githubToken: "" }), onGitHub)).rejects.toThrow(
      "commit-method: api needs a token, but the github-token input is empty; nothing was changed.",
    );
    await expect(planCommit(settings(own, { commitMethod: "api" }), {})).rejects.toThrow(
      /commit-method: api needs GITHUB_REPOSITORY, GITHUB_API_URL and GITHUB_GRAPHQL_URL/,
    );
    const notACheckout = mkdtempSync(path.join(tmpdir(), "pulumiscale-choose-"));
    await expect(planCommit(settings(notACheckout, { commitBack: "always" }), onGitHub)).rejects.toThrow(ActionError);
  });
});
