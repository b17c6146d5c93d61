// Every example workflow that runs the action, and every such workflow shown in README.md and
// docs/, restores what a run would otherwise download: the program's npm packages, the pinned
// Pulumi CLI, and the provider plugins (~/.pulumi/plugins) keyed on the lockfile. A run without
// them spends 30-60 s of the minute on downloads (docs/benchmarks.md, "Latency budget on GitHub").
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../support/fleet.js";

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}

/** Workflow files under examples/, and the YAML blocks of README.md and docs/*.md that run the action. */
function workflows(): { name: string; text: string }[] {
  const files: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(full);
      else if (entry.isFile() && /\.ya?ml$/.test(entry.name) && path.basename(dir) === "workflows") files.push({ name: path.relative(repoRoot, full), text: readFileSync(full, "utf8") });
    }
  };
  walk(path.join(repoRoot, "examples"));
  const documents = ["README.md", ...readdirSync(path.join(repoRoot, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];
  for (const document of documents) {
    const text = readFileSync(path.join(repoRoot, document), "utf8");
    for (const [index, match] of [...text.matchAll(/^([ \t]*)```ya?ml\n([\s\S]*?)^\1```/gm)].entries()) {
      const indent = match[1]!.length;
      const block = match[2]!.split("\n").map((line) => line.slice(indent)).join("\n");
      if (/uses: pulumiscale\/action@/.test(block) && /^jobs:/m.test(block)) files.push({ name: `${document} (YAML block ${index + 1})`, text: block });
    }
  }
  return files;
}

const runsAction = (step: Step) => typeof step.uses === "string" && (step.uses.startsWith("pulumiscale/action@") || step.uses === "./");
const cacheOf = (steps: readonly Step[], pathPart: string) =>
  steps.find((step) => step.uses?.startsWith("actions/cache@") && String(step.with?.["path"] ?? "").includes(pathPart));

const jobs = workflows().flatMap(({ name, text }) => {
  const workflow = parse(text) as { jobs: Record<string, { steps?: Step[] }> };
  return Object.entries(workflow.jobs)
    .filter(([, job]) => (job.steps ?? []).some(runsAction))
    .map(([job, { steps }]) => ({ name: `${name}: job ${job}`, steps: steps!.slice(0, steps!.findIndex(runsAction)) }));
});

describe("example workflows download nothing a cache could keep", () => {
  it("finds the example workflows and the documented ones", () => {
    expect(jobs.map((job) => job.name)).toEqual(
      expect.arrayContaining([
        "examples/workflows/scale.yml: job scale",
        "examples/aws/workflows/scale-prod.yml: job scale",
        expect.stringMatching(/^README\.md \(YAML block \d+\): job scale$/),
        expect.stringMatching(/^docs\/events\.md \(YAML block \d+\): job scale$/),
      ]),
    );
  });

  describe.each(jobs)("$name", ({ steps }) => {
    it("caches the program's npm packages, keyed on its lockfile", () => {
      const setupNode = steps.find((step) => step.uses?.startsWith("actions/setup-node@"));
      const npmCache = setupNode?.with?.["cache"] === "npm" && String(setupNode.with["cache-dependency-path"] ?? "").endsWith("package-lock.json");
      expect(npmCache || cacheOf(steps, "node_modules") !== undefined || cacheOf(steps, "~/.npm") !== undefined).toBe(true);
    });

    it("pins the Pulumi CLI and caches it under that version, before pulumi/actions looks for it", () => {
      const install = steps.findIndex((step) => step.uses?.startsWith("pulumi/actions@"));
      expect(install).toBeGreaterThan(-1);
      const version = String(steps[install]!.with?.["pulumi-version"] ?? "");
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      const cache = cacheOf(steps, "~/.pulumi/bin");
      expect(cache?.with?.["key"]).toEqual(expect.stringContaining(version));
      expect(steps.indexOf(cache!)).toBeLessThan(install);
      expect(steps.slice(0, install).some((step) => step.run?.includes('"$HOME/.pulumi/bin" >> "$GITHUB_PATH"'))).toBe(true);
    });

    it("caches ~/.pulumi/plugins keyed on the lockfile", () => {
      const cache = cacheOf(steps, "~/.pulumi/plugins");
      expect(cache?.with?.["key"]).toMatch(/hashFiles\('[^']*package-lock\.json'\)/);
    });

    it("pins every action it adds for the caches to a commit", () => {
      for (const step of steps.filter((s) => s.uses?.startsWith("actions/cache@"))) expect(step.uses).toMatch(/^actions\/cache@[0-9a-f]{40}$/);
    });
  });
});
