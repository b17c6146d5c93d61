/**
 * Finds the plugins a Pulumi operation had to download. Pure. The CLI reports a download in two
 * ways: during an update, as a progress event in the event log (`"type": "plugin-download"`,
 * id `plugin-download:<name>-<version>`); outside one, on stderr, as
 * `[resource plugin <name>-<version>] installing` (pkg/engine/plugins.go, 3.274).
 */
const installingLine = /\[(?:resource|language|analyzer|converter|tool) plugin ([^\]\s]+)\] installing/g;
const downloadingText = /Downloading plugin ([A-Za-z0-9_.+-]+-v?\d[^\s:]*)/g;

export function findPluginDownloads(eventLog: string, output: string): string[] {
  const found = new Set<string>();
  for (const line of eventLog.split("\n")) {
    if (!line.includes("plugin-download")) continue;
    try {
      const event = JSON.parse(line) as { progressEvent?: { type?: string; id?: string } };
      const progress = event.progressEvent;
      if (progress?.type === "plugin-download" && typeof progress.id === "string") found.add(progress.id.replace(/^plugin-download:/, ""));
    } catch {
      // A line cut short by a crash: the others still count.
    }
  }
  for (const match of output.matchAll(installingLine)) found.add(match[1]!);
  for (const match of output.matchAll(downloadingText)) found.add(match[1]!);
  return [...found].sort();
}

/** The warning for a run that downloaded plugins: which ones, and the cache step that avoids it. */
export function pluginDownloadWarning(plugins: readonly string[]): string | undefined {
  if (plugins.length === 0) return undefined;
  return (
    `This run downloaded ${plugins.length === 1 ? "a Pulumi plugin" : `${plugins.length} Pulumi plugins`} (${plugins.join(", ")}), which costs seconds on every scaling. ` +
    "Add a cache step before this one: uses: actions/cache with path: ~/.pulumi/plugins and key: pulumi-plugins-${{ runner.os }}-${{ hashFiles('**/package-lock.json') }} " +
    "(docs/operations.md, \"Runs that download nothing\")."
  );
}
