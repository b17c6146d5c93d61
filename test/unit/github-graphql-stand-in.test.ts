// The GraphQL stand-in is only as good as its validation: requests GitHub would refuse must be
// refused here too. The action's own two operations must pass.
import { CREATE_COMMIT, READ_HEAD } from "../../src/git/api-commit.js";
import { checkRequest } from "../support/github-graphql.js";

const operations = { READ_HEAD, CREATE_COMMIT };
const operation = (name: keyof typeof operations) => operations[name];

const input = {
  branch: { repositoryNameWithOwner: "octo-org/fleet", branchName: "main" },
  expectedHeadOid: "0123456789abcdef0123456789abcdef01234567",
  message: { headline: "PulumiScale: workers 3 → 5", body: "why" },
  fileChanges: { additions: [{ path: "Pulumi.dev.yaml", contents: Buffer.from("config: {}\n").toString("base64") }] },
};

describe("the GraphQL stand-in's validation against GitHub's schema", () => {
  it("accepts the committer's head read and its createCommitOnBranch mutation", () => {
    expect(checkRequest(operation("READ_HEAD"), { owner: "octo-org", name: "fleet", ref: "refs/heads/main", path: "Pulumi.dev.yaml" })).toEqual([]);
    expect(checkRequest(operation("CREATE_COMMIT"), { input })).toEqual([]);
  });

  it("refuses a field GitHub's schema does not have", () => {
    const problems = checkRequest(`query { repository(owner: "o", name: "r") { headOid } }`);
    expect(problems).toEqual([expect.stringContaining('Cannot query field "headOid" on type "Repository"')]);
  });

  it("refuses an unknown field in the mutation's input", () => {
    const problems = checkRequest(operation("CREATE_COMMIT"), { input: { ...input, force: true } });
    expect(problems).toEqual([expect.stringContaining('Field "force" is not defined by type "CreateCommitOnBranchInput"')]);
  });

  it("refuses variables of the wrong type, and missing required ones", () => {
    expect(checkRequest(operation("CREATE_COMMIT"), { input: { ...input, message: "a plain string" } })).toEqual([
      expect.stringContaining("CommitMessage"),
    ]);
    expect(checkRequest(operation("READ_HEAD"), { owner: "octo-org", name: 7, ref: "refs/heads/main", path: "x" })).toEqual([
      expect.stringContaining('Variable "$name" got invalid value 7'),
    ]);
    expect(checkRequest(operation("READ_HEAD"), { owner: "octo-org", name: "fleet", ref: "refs/heads/main" })).toEqual([
      expect.stringContaining('Variable "$path" of required type "String!" was not provided'),
    ]);
  });

  it("refuses a variable declared with a type the argument does not take", () => {
    const problems = checkRequest(`query ($owner: Int!) { repository(owner: $owner, name: "r") { id } }`, { owner: 1 });
    expect(problems).toEqual([expect.stringContaining('Variable "$owner" of type "Int!" used in position expecting type "String!"')]);
  });
});
