import * as pulumi from "@pulumi/pulumi";

/** A resource the program registered, as Pulumi's engine would have received it. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

export const registered: Registered[] = [];
const waiting: { readonly type: string; readonly name: string; readonly resolve: (resource: Registered) => void }[] = [];

function register(resource: Registered): void {
  registered.push(resource);
  for (const waiter of waiting.filter((entry) => entry.type === resource.type && entry.name === resource.name)) waiter.resolve(resource);
}

/** Resolves when the resource of this type and name is registered (resources register asynchronously). */
export function registration(type: string, name: string): Promise<Registered> {
  const found = registered.find((resource) => resource.type === type && resource.name === name);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => waiting.push({ type, name, resolve }));
}

/** What the provider would compute for a few outputs the component reads. */
function computed(type: string, name: string): Record<string, unknown> {
  switch (type) {
    case "random:index/randomPassword:RandomPassword":
      return { result: `generated-${name}` };
    case "aws:lambda/functionUrl:FunctionUrl":
      return { functionUrl: `https://${name}.lambda-url.eu-west-1.on.aws/` };
    default:
      return { arn: `arn:aws:mock:eu-west-1:123456789012:${name}` };
  }
}

// Pulumi's documented way to unit-test a program: the engine and providers are replaced, the
// program and the SDK run for real.
pulumi.runtime.setMocks(
  {
    newResource(args) {
      register({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: { ...args.inputs, name: args.inputs["name"] ?? args.name, ...computed(args.type, args.name) } };
    },
    call(args) {
      throw new Error(`the component made an unexpected call: ${args.token}`);
    },
  },
  "relay-test",
  "test",
  false,
);

// How a secret crosses from the SDK to the engine (the SDK's `specialSigKey` and `specialSecretSig`).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Whether a value reached the engine as a Pulumi secret, so the state holds it encrypted. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** The value inside a secret; fails when the value is not one. */
export function secretValue(value: unknown): unknown {
  if (!isSecretValue(value)) throw new Error(`expected a Pulumi secret, got ${JSON.stringify(value)}`);
  return value.value;
}

/** The inputs as the state would show them unencrypted: every secret replaced by "[secret]". */
export function plainText(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (isSecretValue(inner) ? "[secret]" : inner));
}

export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
