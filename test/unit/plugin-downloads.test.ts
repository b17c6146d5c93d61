// Plugin downloads, found in what the Pulumi CLI wrote (pkg/engine/plugins.go, 3.274): progress
// events in the event log during an update, "[resource plugin …] installing" on stderr outside one.
import { findPluginDownloads, pluginDownloadWarning } from "../../src/pulumi/plugin-downloads.js";

const progress = (type: string, id: string) => JSON.stringify({ sequence: 3, timestamp: 1, progressEvent: { type, id, message: `Downloading plugin ${id.split(":")[1]}`, received: 10, total: 100, done: false } });

describe("findPluginDownloads", () => {
  it.each<[string, string, string, string[]]>([
    ["nothing downloaded", '{"summaryEvent":{"resourceChanges":{"same":2}}}', "Updating (dev)\n", []],
    ["a download progress event, reported many times", [progress("plugin-download", "plugin-download:aws-6.83.0"), progress("plugin-download", "plugin-download:aws-6.83.0")].join("\n"), "", ["aws-6.83.0"]],
    ["install progress alone is not a download", progress("plugin-install", "plugin-install:aws-6.83.0"), "", []],
    ["stderr outside an update", "", "[resource plugin random-4.18.0] installing\n[language plugin nodejs-3.274.1] installing\n", ["nodejs-3.274.1", "random-4.18.0"]],
    ["a progress bar on the console", "", "Downloading plugin random-4.18.0: 1.2 MiB / 5 MiB", ["random-4.18.0"]],
    ["a line cut short by a crash", `${progress("plugin-download", "plugin-download:gcp-8.0.0")}\n{"progressEvent":{"type":"plugin-download"`, "", ["gcp-8.0.0"]],
  ])("%s", (_name, eventLog, output, expected) => {
    expect(findPluginDownloads(eventLog, output)).toEqual(expected);
  });
});

describe("pluginDownloadWarning", () => {
  it("is absent when nothing was downloaded", () => {
    expect(pluginDownloadWarning([])).toBeUndefined();
  });

  it("names the plugins and the cache step to add", () => {
    const warning = pluginDownloadWarning(["aws-6.83.0", "random-4.18.0"])!;
    expect(warning).toContain("downloaded 2 Pulumi plugins (aws-6.83.0, random-4.18.0)");
    expect(warning).toContain("uses: actions/cache with path: ~/.pulumi/plugins and key: pulumi-plugins-${{ runner.os }}-${{ hashFiles('**/package-lock.json') }}");
  });
});
