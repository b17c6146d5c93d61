// Prints the CHANGELOG.md section of one version (without its heading), for the release notes.
// Usage: node scripts/changelog-section.mjs 1.2.3. Fails when the version has no section or the
// section is empty, so a release is never published without notes.
import { readFileSync } from "node:fs";

/** The body of the `## [version]` section of a Keep a Changelog file; undefined when there is none. */
export function changelogSection(changelog, version) {
  const lines = changelog.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
  if (start === -1) return undefined;
  const end = lines.findIndex((line, index) => index > start && (line.startsWith("## ") || /^\[[^\]]+\]: /.test(line)));
  return lines.slice(start + 1, end === -1 ? undefined : end).join("\n").trim();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const version = process.argv[2] ?? "";
  const changelog = readFileSync(new URL("../CHANGELOG.md", import.meta.url), "utf8");
  const section = changelogSection(changelog, version);
  if (!section) {
    console.error(`CHANGELOG.md: expected a non-empty "## [${version}] - YYYY-MM-DD" section, got ${section === undefined ? "none" : "an empty one"}`);
    process.exit(1);
  }
  console.log(section);
}
