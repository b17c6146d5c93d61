// Bad input fails the step with a message naming the field and the value, and changes nothing.
import { createFleetStack, runAction, type FleetStack } from "../support/fleet.js";

let fleet: FleetStack;
let state: string;
let config: string;

beforeAll(() => {
  fleet = createFleetStack({ workerCount: 3 });
  state = fleet.stateFile();
  config = fleet.configFile();
});

const cases: { name: string; eventName?: string; event: unknown; inputs?: Record<string, string>; message: RegExp }[] = [
  {
    name: "an unknown target",
    event: { client_payload: { target: "gpus", delta: 1 } },
    message: /target: expected a target of the stack's policy "pulumiscale" \("workers"\), got "gpus"/,
  },
  {
    name: "a non-integer delta",
    event: { client_payload: { target: "workers", delta: 1.5 } },
    message: /client_payload\.delta: expected a whole number, got 1\.5/,
  },
  {
    name: "a delta that is not a number",
    event: { client_payload: { target: "workers", delta: "two" } },
    message: /client_payload\.delta: expected a whole number, got "two"/,
  },
  {
    name: "a huge delta",
    event: { client_payload: { target: "workers", delta: 1e12 } },
    message: /client_payload\.delta: expected a whole number from -1000000 to 1000000, got 1000000000000/,
  },
  {
    name: "a client_payload that is not an object",
    event: { client_payload: "scale up please" },
    message: /client_payload: expected an object, got "scale up please"/,
  },
  {
    name: "an unknown source",
    event: { client_payload: { source: "nagios", target: "workers" } },
    message: /client_payload\.source: expected one of .*"delta".*got "nagios"/,
  },
  {
    name: "a payload for another stack",
    event: { client_payload: { stack: "prod", target: "workers", delta: 1 } },
    message: /client_payload\.stack: expected "dev" .*got "prod"/,
  },
  {
    name: "a missing stack",
    event: { client_payload: { target: "workers", delta: 1 } },
    inputs: { stack: "prod" },
    message: /stack: expected an existing stack of the project.*got "prod"/,
  },
  {
    name: "a missing policy output",
    event: { client_payload: { target: "workers", delta: 1 } },
    inputs: { "policy-output": "scaling" },
    message: /stack output "scaling": expected a scaling policy/,
  },
  {
    name: "an unsupported event",
    eventName: "push",
    event: {},
    message: /GITHUB_EVENT_NAME: expected repository_dispatch, workflow_dispatch or schedule.*got "push"/,
  },
  {
    name: "a bad lock-timeout",
    event: { client_payload: { target: "workers", delta: 1 } },
    inputs: { "lock-timeout": "soon" },
    message: /lock-timeout: expected a duration such as 90s, 5m or 1h, got "soon"/,
  },
];

describe.each(cases)("$name", ({ eventName, event, inputs, message }) => {
  let run: ReturnType<typeof runAction>;
  beforeAll(() => {
    run = runAction(fleet, { eventName: eventName ?? "repository_dispatch", event, inputs: inputs ?? {} });
  });

  it("fails the step with exit code 1 and a message naming the field and value", () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(message);
    expect(run.stdout).toMatch(/^::error::/m);
  });

  it("changes neither the stack state, the config file nor the cloud", () => {
    expect(fleet.stateFile()).toBe(state);
    expect(fleet.configFile()).toBe(config);
    expect(fleet.poolSizeOnDisk()).toBe(3);
  });
});
