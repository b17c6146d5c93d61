import { expect, test } from "@jest/globals";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

// scripts/package-relay.sh as the release runs it, and the handler it packages, loaded by Node.
const run = promisify(execFile);

test("the Lambda zip is the same bytes twice, holds index.mjs and its notices, and its handler answers", async () => {
  const dir = await mkdtemp(join(tmpdir(), "package-relay-"));
  try {
    await run("bash", ["scripts/package-relay.sh", join(dir, "first.zip")]);
    await run("bash", ["scripts/package-relay.sh", join(dir, "second.zip")]);
    const [first, second] = await Promise.all([readFile(join(dir, "first.zip")), readFile(join(dir, "second.zip"))]);
    expect(first.equals(second)).toBe(true);

    const { stdout: listing } = await run("unzip", ["-Z1", join(dir, "first.zip")]);
    expect(listing.trim().split("\n")).toEqual(["index.mjs", "index.mjs.LEGAL.txt"]);
    await run("unzip", ["-q", join(dir, "first.zip"), "-d", join(dir, "function")]);
    expect(await readFile(join(dir, "function", "index.mjs"))).toEqual(await readFile("dist/relay/lambda.mjs"));

    // What Lambda does with handler `index.handler`: import the file, call its `handler` export.
    const invoke = `
      const { handler } = await import(${JSON.stringify(join(dir, "function", "index.mjs"))});
      if (typeof handler !== "function") throw new Error("index.mjs exports no handler");
      const result = await handler({ version: "2.0", rawPath: "/healthz", rawQueryString: "", headers: {}, requestContext: { http: { method: "GET", path: "/healthz" } } });
      console.log(JSON.stringify(result));`;
    const env = { PATH: process.env["PATH"], RELAY_GITHUB_TOKEN: "github_pat_test", RELAY_GITHUB_REPOSITORY: "acme/infra", RELAY_SHARED_SECRET: "test-secret" };
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", invoke], { env });
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toMatchObject({ statusCode: 200 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
