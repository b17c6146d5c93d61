import { readConfigScalar, writeConfigScalar } from "../../src/git/settings-file.js";

const file = `encryptionsalt: v1:abc
config:
  fleet:stateDir: /tmp/cloud
  fleet:workerCount: "3"
  fleet:label: blue
`;

describe("stack settings file scalars", () => {
  it.each([
    ["fleet:workerCount", "3"],
    ["fleet:label", "blue"],
    ["fleet:missing", undefined],
  ])("reads %s", (key, value) => {
    expect(readConfigScalar(file, key)).toBe(value);
  });

  it("replaces a value in place and keeps everything else", () => {
    expect(writeConfigScalar(file, "fleet:workerCount", "5")).toBe(file.replace('workerCount: "3"', 'workerCount: "5"'));
  });

  it("adds a missing key under config", () => {
    const written = writeConfigScalar(file, "fleet:gpuCount", "2");
    expect(readConfigScalar(written, "fleet:gpuCount")).toBe("2");
    expect(readConfigScalar(written, "fleet:workerCount")).toBe("3");
  });

  it("adds a config section when there is none", () => {
    expect(writeConfigScalar("encryptionsalt: v1:abc\n", "fleet:workerCount", "4")).toBe('encryptionsalt: v1:abc\nconfig:\n  fleet:workerCount: "4"\n');
  });

  it("does not mistake a key for one it is a suffix of", () => {
    const other = 'config:\n  fleet:maxWorkerCount: "9"\n  fleet:workerCount: "3"\n';
    expect(readConfigScalar(other, "fleet:workerCount")).toBe("3");
    expect(writeConfigScalar(other, "fleet:workerCount", "4")).toBe('config:\n  fleet:maxWorkerCount: "9"\n  fleet:workerCount: "4"\n');
  });
});
