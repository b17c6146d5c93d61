import { ActionError } from "../errors.js";
import type { Settings } from "../settings.js";
import { ApiCommitter, type GitHubRepository } from "./api-commit.js";
import { findCheckout, type Checkout } from "./checkout.js";
import { GitCommitter } from "./commit-back.js";
import type { Committer } from "./committer.js";

/** How this run commits the stack config back, or why it does not. */
export type CommitPlan = { readonly committer: Committer } | { readonly skip: string };

/** The repository the runner says the workflow runs in; undefined outside GitHub Actions. */
export function githubRepository(env: NodeJS.ProcessEnv): GitHubRepository | undefined {
  const [owner, name, ...extra] = (env["GITHUB_REPOSITORY"] ?? "").split("/");
  const graphqlUrl = env["GITHUB_GRAPHQL_URL"];
  if (!owner || !name || extra.length > 0 || !env["GITHUB_API_URL"] || !graphqlUrl) return undefined;
  return { owner, name, graphqlUrl };
}

/**
 * Whether a remote URL names `owner/name` on the GitHub server at `serverUrl`, in any of the forms
 * git accepts: https://host/owner/name(.git), ssh://git@host/owner/name, git@host:owner/name.
 */
export function remoteIsRepository(remote: string, repository: Pick<GitHubRepository, "owner" | "name">, serverUrl: string): boolean {
  const scp = /^[^/@:]+@([^/:]+):(.+)$/.exec(remote);
  let host: string;
  let repoPath: string;
  if (scp) {
    [, host, repoPath] = scp as unknown as [string, string, string];
  } else {
    try {
      const url = new URL(remote);
      host = url.host;
      repoPath = url.pathname;
    } catch {
      return false;
    }
  }
  let serverHost: string;
  try {
    serverHost = new URL(serverUrl).host;
  } catch {
    return false;
  }
  const named = repoPath.replace(/^\/+/, "").replace(/\/+$/, "").replace(/\.git$/, "");
  return host.toLowerCase() === serverHost.toLowerCase() && named.toLowerCase() === `${repository.owner}/${repository.name}`.toLowerCase();
}

/**
 * Chooses, once per run and before anything changes, how the stack config is committed back.
 * `api` (GitHub's createCommitOnBranch: signed by GitHub, atomic on the branch head, no push
 * credentials) needs a token and the runner's GITHUB_* variables; `git` pushes to `origin`;
 * `auto` takes the API when there is a token, the variables are there and `origin` is the
 * workflow's own repository, else git. A setting that cannot work fails here, before the update.
 */
export async function planCommit(settings: Settings, env: NodeJS.ProcessEnv): Promise<CommitPlan> {
  if (settings.commitBack === "never") return { skip: "commit-back is off" };
  const checkout = await findCheckout(settings.workDir);
  if (!checkout) {
    if (settings.commitBack === "auto") return { skip: "the project is not in a git checkout with an origin remote" };
    throw new ActionError(
      `commit-back: true, but ${settings.workDir} is not in a git checkout with an origin remote; nothing was changed.`,
      "Check the repository out first (actions/checkout), or set commit-back: auto or false.",
    );
  }
  const repository = githubRepository(env);
  const branch = settings.commitBranch ? { branch: settings.commitBranch } : {};
  const viaGit = (): CommitPlan => ({ committer: new GitCommitter({ checkout, author: settings.commitAuthor, ...branch }) });
  const viaApi = (repo: GitHubRepository): CommitPlan => ({
    committer: new ApiCommitter({ checkout, repository: repo, token: settings.githubToken, ...branch }),
  });
  switch (settings.commitMethod) {
    case "git":
      return viaGit();
    case "api":
      if (!settings.githubToken) {
        throw new ActionError(
          "commit-method: api needs a token, but the github-token input is empty; nothing was changed.",
          "Leave github-token at its default (${{ github.token }}) or pass a token with contents: write.",
        );
      }
      if (!repository) {
        throw new ActionError(
          "commit-method: api needs GITHUB_REPOSITORY, GITHUB_API_URL and GITHUB_GRAPHQL_URL, which the GitHub Actions runner sets; " +
            `they are not all set here; nothing was changed.`,
          "Run it in GitHub Actions, or set commit-method: git.",
        );
      }
      return viaApi(repository);
    case "auto":
      return settings.githubToken && repository && onCheckoutRemote(checkout, repository, env) ? viaApi(repository) : viaGit();
  }
}

function onCheckoutRemote(checkout: Checkout, repository: GitHubRepository, env: NodeJS.ProcessEnv): boolean {
  return remoteIsRepository(checkout.remote, repository, env["GITHUB_SERVER_URL"] || "https://github.com");
}
