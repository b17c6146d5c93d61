import { readFileSync } from "node:fs";
import { readCommitBase, type Checkout } from "./checkout.js";
import { CommitBackError, type CommitBackResult, type CommitRequest, type Committer } from "./committer.js";
import { mergeOntoUpstream } from "./settings-file.js";

/** The repository the workflow runs in, and where GitHub's API answers (GITHUB_* variables). */
export interface GitHubRepository {
  readonly owner: string;
  readonly name: string;
  /** GITHUB_GRAPHQL_URL: https://api.github.com/graphql, or a GitHub Enterprise Server's. */
  readonly graphqlUrl: string;
}

export interface ApiCommitterOptions {
  readonly checkout: Checkout;
  readonly repository: GitHubRepository;
  readonly token: string;
  /** Branch to commit to; the checkout's branch when absent. */
  readonly branch?: string;
  readonly maxAttempts?: number;
}

/** The branch head and the settings file there. */
export const READ_HEAD = `query PulumiScaleReadHead($owner: String!, $name: String!, $ref: String!, $path: String!) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $ref) {
      target {
        oid
        ... on Commit {
          file(path: $path) {
            object {
              ... on Blob {
                text
                isBinary
              }
            }
          }
        }
      }
    }
  }
}`;

export const CREATE_COMMIT = `mutation PulumiScaleCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) {
    commit {
      oid
    }
  }
}`;

interface ReadHeadResponse {
  repository: {
    ref: { target: { oid: string; file?: { object?: { text?: string | null; isBinary?: boolean | null } | null } | null } | null } | null;
  } | null;
}

interface CreateCommitResponse {
  createCommitOnBranch: { commit: { oid: string } | null } | null;
}

/** What GitHub answers when the branch moved after the head was read (expectedHeadOid is stale). */
const STALE_HEAD = /Expected branch to point to/;

type Graphql = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

/**
 * Commits the stack settings file with GitHub's GraphQL `createCommitOnBranch` mutation: GitHub
 * signs the commit ("Verified"), so it passes rulesets that require signed commits, and the
 * checkout needs no push credentials. The mutation carries the head it was computed from
 * (`expectedHeadOid`), so a concurrent push is detected atomically: then the head and the file
 * are read again and the change is applied on top of them, as the git path does after a
 * rejected push.
 */
export class ApiCommitter implements Committer {
  readonly method = "api";
  constructor(private readonly options: ApiCommitterOptions) {}

  async commit(request: CommitRequest): Promise<CommitBackResult> {
    const { repository } = this.options;
    const { branch, relative, base } = await readCommitBase(this.options.checkout, request.settingsFile, this.options.branch);
    const ours = readFileSync(request.settingsFile, "utf8");
    const graphql = await this.client();
    const maxAttempts = this.options.maxAttempts ?? 5;
    const [headline, ...rest] = request.message.split("\n");
    const body = rest.join("\n").trim();

    for (let attempt = 1; ; attempt++) {
      const head = await this.readHead(graphql, branch, relative);
      const { content, overridden } = await mergeOntoUpstream({
        base,
        upstream: head.text,
        ours,
        changes: request.changes,
        readDeployed: request.readDeployed,
      });
      if (head.exists && content === head.text) {
        // The branch already holds exactly these values.
        return { commit: head.oid, branch, attempts: attempt, method: "api", overridden };
      }
      try {
        const created = await graphql<CreateCommitResponse>(CREATE_COMMIT, {
          input: {
            branch: { repositoryNameWithOwner: `${repository.owner}/${repository.name}`, branchName: branch },
            expectedHeadOid: head.oid,
            message: { headline: headline || "PulumiScale", ...(body ? { body } : {}) },
            fileChanges: { additions: [{ path: relative, contents: Buffer.from(content).toString("base64") }] },
          },
        });
        const oid = created.createCommitOnBranch?.commit?.oid;
        if (!oid) throw new CommitBackError(`GitHub's createCommitOnBranch on ${branch} answered without a commit`);
        return { commit: oid, branch, attempts: attempt, method: "api", overridden };
      } catch (error) {
        if (error instanceof CommitBackError) throw error;
        const message = graphqlErrorText(error);
        if (!STALE_HEAD.test(message) || attempt >= maxAttempts) {
          throw new CommitBackError(
            `GitHub's createCommitOnBranch on ${branch} of ${repository.owner}/${repository.name} failed after ${attempt} attempt(s): ${message}`,
          );
        }
      }
    }
  }

  /** The branch head's oid and the settings file there ("" and exists: false when it has none). */
  private async readHead(graphql: Graphql, branch: string, relative: string): Promise<{ oid: string; text: string; exists: boolean }> {
    const { owner, name } = this.options.repository;
    let response: ReadHeadResponse;
    try {
      response = await graphql<ReadHeadResponse>(READ_HEAD, { owner, name, ref: `refs/heads/${branch}`, path: relative });
    } catch (error) {
      throw new CommitBackError(`reading ${branch} of ${owner}/${name} through GitHub's API failed: ${graphqlErrorText(error)}`);
    }
    if (!response.repository) throw new CommitBackError(`GitHub's API does not show the repository ${owner}/${name} to this token`);
    const target = response.repository.ref?.target;
    if (!target) throw new CommitBackError(`the branch ${branch} does not exist in ${owner}/${name}`);
    const blob = target.file?.object;
    if (blob?.isBinary) throw new CommitBackError(`${relative} on ${branch} is not a text file`);
    const text = blob?.text;
    return { oid: target.oid, text: text ?? "", exists: typeof text === "string" };
  }

  /**
   * GitHub's GraphQL client, authenticated with the token. Imported when first needed: loading
   * @actions/github reads the event file, and a run that commits with git never needs it.
   */
  private async client(): Promise<Graphql> {
    const { getOctokit } = await import("@actions/github");
    // Octokit posts GraphQL to `${baseUrl}/graphql`; GITHUB_GRAPHQL_URL names that endpoint
    // (https://api.github.com/graphql, https://HOST/api/graphql on GitHub Enterprise Server).
    const baseUrl = this.options.repository.graphqlUrl.replace(/\/graphql\/?$/, "");
    const octokit = getOctokit(this.options.token, { baseUrl });
    return <T>(query: string, variables: Record<string, unknown>) => octokit.graphql<T>(query, variables);
  }
}

/** The messages of a GraphQL error response, or the HTTP failure, as one line. */
function graphqlErrorText(error: unknown): string {
  const errors = (error as { errors?: { message?: string }[] } | undefined)?.errors;
  if (Array.isArray(errors) && errors.length > 0) return errors.map((e) => e.message ?? JSON.stringify(e)).join("; ");
  return error instanceof Error ? error.message : String(error);
}
