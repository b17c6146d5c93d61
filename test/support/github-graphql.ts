// A stand-in for GitHub's GraphQL API on loopback, backed by a real bare git repository. Every
// request is validated against GitHub's published schema (@octokit/graphql-schema): the document
// with graphql's `validate`, the variables with their declared types. A request that fails is
// recorded in `invalid` and answered with GraphQL errors, so a test both sees the failure and
// can assert there was none. Valid requests are executed against the same schema, so answers
// have GitHub's shapes; the resolvers read and write the bare repository with git.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { schema as githubSchema } from "@octokit/graphql-schema";
import {
  buildClientSchema,
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from "graphql";

let schema: GraphQLSchema | undefined;
/** GitHub's GraphQL schema, built once from the introspection result the package ships. */
export function githubGraphqlSchema(): GraphQLSchema {
  schema ??= buildClientSchema(githubSchema.json as never);
  return schema;
}

/** Checks a request against GitHub's schema; the problems found, none when it is valid. */
export function checkRequest(query: string, variables: Record<string, unknown> = {}): string[] {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return [(error as Error).message];
  }
  const problems = validate(githubGraphqlSchema(), document).map((error) => error.message);
  if (problems.length > 0) return problems;
  const operation = getOperationAST(document);
  if (!operation) return ["the document must hold exactly one operation"];
  const coerced = getVariableValues(githubGraphqlSchema(), operation.variableDefinitions ?? [], variables);
  return coerced.errors?.map((error) => error.message) ?? [];
}

export interface FileAddition {
  readonly path: string;
  readonly contents: string;
}

export interface CreateCommitInput {
  readonly branch: { readonly repositoryNameWithOwner?: string; readonly branchName?: string };
  readonly expectedHeadOid: string;
  readonly message: { readonly headline: string; readonly body?: string };
  readonly fileChanges?: { readonly additions?: readonly FileAddition[]; readonly deletions?: readonly { path: string }[] };
}

export interface GraphqlRequest {
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown>;
}

export interface GraphqlStandInOptions {
  /** The bare repository that plays the GitHub repository. */
  readonly gitDir: string;
  /** `owner/name` of the repository. */
  readonly repository: string;
  /** The token a request must carry. */
  readonly token: string;
}

export interface GraphqlStandIn {
  /** The base URL, for GITHUB_API_URL. */
  readonly apiUrl: string;
  /** The GraphQL endpoint, for GITHUB_GRAPHQL_URL. */
  readonly graphqlUrl: string;
  /** Every request that reached the endpoint, in order. */
  readonly requests: GraphqlRequest[];
  /** What was wrong with the requests that did not match GitHub's schema (or lacked the token). */
  readonly invalid: string[];
  /**
   * Runs before each createCommitOnBranch is checked against the branch head: a test moves the
   * head here (a concurrent push) or throws to refuse the mutation as GitHub would.
   */
  beforeCommit?: (input: CreateCommitInput) => void;
  close(): Promise<void>;
}

/** GitHub's identity for commits created through the API with the workflow's token. */
const API_AUTHOR = { GIT_AUTHOR_NAME: "github-actions[bot]", GIT_AUTHOR_EMAIL: "41898282+github-actions[bot]@users.noreply.github.com" };
const API_COMMITTER = { GIT_COMMITTER_NAME: "GitHub", GIT_COMMITTER_EMAIL: "noreply@github.com" };

export async function startGraphqlStandIn(options: GraphqlStandInOptions): Promise<GraphqlStandIn> {
  const git = (args: string[], input?: string, env: NodeJS.ProcessEnv = {}) =>
    execFileSync("git", ["--git-dir", options.gitDir, ...args], {
      encoding: "utf8",
      input,
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    }).trim();
  const tryGit = (args: string[]) => {
    try {
      return git(args);
    } catch {
      return undefined;
    }
  };
  /** A file's exact text at a revision, undefined when it has none. */
  const readBlob = (spec: string) => {
    try {
      return execFileSync("git", ["--git-dir", options.gitDir, "cat-file", "blob", spec], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      return undefined;
    }
  };
  const [owner, name] = options.repository.split("/");

  const commitOn = (input: CreateCommitInput) => {
    if (input.branch.repositoryNameWithOwner?.toLowerCase() !== options.repository.toLowerCase()) {
      throw new GraphQLError(`Could not resolve to a Repository with the name '${input.branch.repositoryNameWithOwner}'.`);
    }
    const ref = `refs/heads/${input.branch.branchName}`;
    standIn.beforeCommit?.(input);
    const head = tryGit(["rev-parse", "--verify", "--quiet", ref]);
    if (!head) throw new GraphQLError(`A ref named "${ref}" does not exist`);
    if (head !== input.expectedHeadOid) {
      throw new GraphQLError(`Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`);
    }
    const index = mkdtempSync(path.join(tmpdir(), "pulumiscale-graphql-index-"));
    const indexEnv = { GIT_INDEX_FILE: path.join(index, "index") };
    try {
      git(["read-tree", head], undefined, indexEnv);
      for (const addition of input.fileChanges?.additions ?? []) {
        const blob = execFileSync("git", ["--git-dir", options.gitDir, "hash-object", "-w", "--stdin"], {
          input: Buffer.from(addition.contents, "base64"),
          encoding: "utf8",
        }).trim();
        git(["update-index", "--add", "--cacheinfo", `100644,${blob},${addition.path}`], undefined, indexEnv);
      }
      for (const deletion of input.fileChanges?.deletions ?? []) git(["update-index", "--remove", "--", deletion.path], undefined, indexEnv);
      const tree = git(["write-tree"], undefined, indexEnv);
      const message = input.message.body ? `${input.message.headline}\n\n${input.message.body}` : input.message.headline;
      const commit = git(["commit-tree", tree, "-p", head, "-F", "-"], message, { ...API_AUTHOR, ...API_COMMITTER });
      // A compare-and-swap on the branch, as GitHub's own update is.
      git(["update-ref", ref, commit, head]);
      return { commit: { __typename: "Commit", oid: commit } };
    } finally {
      rmSync(index, { recursive: true, force: true });
    }
  };

  const commitObject = (oid: string) => ({
    __typename: "Commit",
    oid,
    file: ({ path: file }: { path: string }) => {
      const text = readBlob(`${oid}:${file}`);
      return text === undefined ? null : { object: { __typename: "Blob", text, isBinary: false } };
    },
  });

  const rootValue = {
    repository: (args: { owner: string; name: string }) => {
      if (args.owner.toLowerCase() !== owner!.toLowerCase() || args.name.toLowerCase() !== name!.toLowerCase()) return null;
      return {
        ref: ({ qualifiedName }: { qualifiedName: string }) => {
          const oid = tryGit(["rev-parse", "--verify", "--quiet", qualifiedName]);
          return oid ? { name: qualifiedName.replace(/^refs\/heads\//, ""), target: commitObject(oid) } : null;
        },
      };
    },
    createCommitOnBranch: ({ input }: { input: CreateCommitInput }) => commitOn(input),
  };

  const server: Server = createServer(async (request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "POST" || request.url !== "/graphql") {
      standIn.invalid.push(`${request.method} ${request.url}: only POST /graphql is served`);
      return answer(404, { message: "Not Found" });
    }
    if (!new RegExp(`^(token|bearer) ${options.token}$`, "i").test(request.headers.authorization ?? "")) {
      standIn.invalid.push(`POST /graphql without the token (authorization: ${JSON.stringify(request.headers.authorization)})`);
      return answer(401, { message: "Bad credentials" });
    }
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(await readBody(request));
    } catch (error) {
      standIn.invalid.push(`a body that is not JSON: ${(error as Error).message}`);
      return answer(400, { message: "Problems parsing JSON" });
    }
    const query = typeof body.query === "string" ? body.query : "";
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    const problems = checkRequest(query, variables);
    const document = problems.length === 0 ? parse(query) : undefined;
    standIn.requests.push({ operationName: document ? getOperationAST(document)?.name?.value : undefined, variables });
    if (!document) {
      standIn.invalid.push(...problems);
      return answer(200, { errors: problems.map((message) => ({ message })) });
    }
    const result = await execute({ schema: githubGraphqlSchema(), document, rootValue, variableValues: variables });
    answer(200, { ...(result.data !== undefined ? { data: result.data } : {}), ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}) });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the GraphQL stand-in did not get a port");
  const apiUrl = `http://127.0.0.1:${address.port}`;
  const standIn: GraphqlStandIn = {
    apiUrl,
    graphqlUrl: `${apiUrl}/graphql`,
    requests: [],
    invalid: [],
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
  return standIn;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
