// docs/events.md shows each alert source's Pulumi program and the Datadog payload template; the
// copies under examples/alerts/ are what scripts/check-examples-alerts.sh type-checks. This fails
// when the two drift apart.
import { readdirSync, readFileSync } from "node:fs";

const examples = new URL("../../examples/alerts/", import.meta.url);
const events = readFileSync(new URL("../../docs/events.md", import.meta.url), "utf8");

describe("docs/events.md and examples/alerts/", () => {
  const sources = readdirSync(examples);

  it("has an example for each of the four alert sources that need one", () => {
    expect(sources.sort()).toEqual(["azure-monitor", "datadog", "google-cloud-monitoring", "grafana"]);
  });

  it.each(sources)("shows examples/alerts/%s/index.ts verbatim", (source) => {
    const program = readFileSync(new URL(`${source}/index.ts`, examples), "utf8").trimEnd();
    expect(events).toContain("```ts\n" + program + "\n```");
  });

  it("shows the Datadog payload template verbatim", () => {
    const template = readFileSync(new URL("datadog/payload-template.json", examples), "utf8").trimEnd();
    expect(events).toContain("```json\n" + template + "\n```");
  });

  it.each(sources)("pins every package of examples/alerts/%s exactly", (source) => {
    const manifest = JSON.parse(readFileSync(new URL(`${source}/package.json`, examples), "utf8")) as Record<string, Record<string, string>>;
    const versions = Object.values({ ...manifest["dependencies"], ...manifest["devDependencies"] });
    for (const version of versions) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
