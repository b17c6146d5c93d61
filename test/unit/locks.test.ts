import { describeHolders, formatAge, parseLockHolders } from "../../src/pulumi/locks.js";

const fileBackendError = `error: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.
  file:///tmp/backend/.pulumi/locks/organization/fleet/dev/abc.json?no_tmp_dir=true: created by runner@fv-az123 (pid 4242) at 2026-11-26T09:00:00Z
  s3://state/.pulumi/locks/organization/fleet/dev/def.json: created by alice@laptop at 2026-11-26T10:30:00Z`;

describe("parseLockHolders", () => {
  it("reads every holder of a file or cloud-storage backend lock", () => {
    expect(parseLockHolders(fileBackendError)).toEqual([
      { owner: "runner@fv-az123", pid: 4242, createdAt: new Date("2026-11-26T09:00:00Z") },
      { owner: "alice@laptop", createdAt: new Date("2026-11-26T10:30:00Z") },
    ]);
  });

  it("finds none in Pulumi Cloud's conflict", () => {
    expect(parseLockHolders("error: [409] Conflict: Another update is currently in progress.")).toEqual([]);
  });
});

describe("describeHolders", () => {
  it("says who holds the lock and for how long", () => {
    expect(describeHolders(parseLockHolders(fileBackendError), new Date("2026-11-26T11:00:00Z"))).toBe(
      "runner@fv-az123 (pid 4242) since 2026-11-26T09:00:00.000Z (2h 0m ago); alice@laptop since 2026-11-26T10:30:00.000Z (30m 0s ago)",
    );
  });

  it("says when the backend does not tell", () => {
    expect(describeHolders([], new Date())).toBe("another update (the backend does not say which)");
  });
});

describe("formatAge", () => {
  it.each([
    [0, "0s"],
    [59_000, "59s"],
    [61_000, "1m 1s"],
    [3_600_000 * 5 + 60_000 * 7, "5h 7m"],
    [3_600_000 * 50, "2d 2h"],
  ])("%i ms is %s", (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
