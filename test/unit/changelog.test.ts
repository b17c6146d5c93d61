// The release workflow publishes the CHANGELOG.md section of package.json's version: it must exist.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const version = (JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { version: string }).version;
const changelog = readFileSync(new URL("CHANGELOG.md", root), "utf8");

describe("CHANGELOG.md", () => {
  it("has a dated section for package.json's version, and an Unreleased one", () => {
    expect(changelog).toMatch(new RegExp(`^## \\[${version.replace(/\./g, "\\.")}\\] - \\d{4}-\\d{2}-\\d{2}$`, "m"));
    expect(changelog).toMatch(/^## \[Unreleased\]$/m);
  });

  it("gives the release workflow the version's notes", () => {
    const notes = execFileSync(process.execPath, ["scripts/changelog-section.mjs", version], { cwd: root, encoding: "utf8" });
    expect(notes).toMatch(/^### Added$/m);
    expect(notes).not.toMatch(/^## /m);
  });

  it("refuses a version without a section", () => {
    expect(() =>
      execFileSync(process.execPath, ["scripts/changelog-section.mjs", "0.0.0-none"], { cwd: root, encoding: "utf8", stdio: "pipe" }),
    ).toThrow(/expected a non-empty "## \[0\.0\.0-none\] - YYYY-MM-DD" section, got none/);
  });
});
