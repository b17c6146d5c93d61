import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { checkArgs, longestGitHubWaitSeconds, type PulumiScaleRelayArgs } from "./args";
import { relayCode } from "./code";
import { forwardAlarmStateChanges, type AlarmForwarding } from "./eventbridge";

/** `dist/relay/lambda.mjs` of the repository, seen from the compiled `relay/pulumi/build/relay.js`. */
const DEFAULT_BUNDLE = path.join(__dirname, "..", "..", "..", "dist", "relay", "lambda.mjs");

/**
 * The PulumiScale alert relay as an AWS Lambda function with a public Function URL. The relay
 * authenticates every endpoint itself, so the URL's auth type is NONE, and `/metrics` always needs
 * RELAY_METRICS_TOKEN (generated when not given). Secrets go into the function's environment as
 * Pulumi secrets: encrypted in the stack's state, and by KMS in Lambda.
 */
export class PulumiScaleRelay extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly functionUrl: aws.lambda.FunctionUrl;
  /** The relay's base URL, ending with `/`: append `alertmanager`, `sns`, `dispatch`, ... */
  readonly url: pulumi.Output<string>;
  /** The token Prometheus sends to `GET /metrics` (`Authorization: Bearer <token>`). */
  readonly metricsToken: pulumi.Output<string>;
  /** Present when `eventBridge` was given. */
  readonly eventBridge?: AlarmForwarding;

  constructor(name: string, args: PulumiScaleRelayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pulumiscale:relay:PulumiScaleRelay", name, {}, opts);
    checkArgs(args);
    const parent = { parent: this };

    const metricsToken = args.metricsToken ?? new random.RandomPassword(`${name}-metrics-token`, { length: 48, special: false }, parent).result;
    const eventBridgeKey = args.eventBridge
      ? (args.eventBridge.apiKey ?? new random.RandomPassword(`${name}-eventbridge-key`, { length: 48, special: false }, parent).result)
      : undefined;

    const role = new aws.iam.Role(`${name}-lambda`, { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }) }, parent);
    new aws.iam.RolePolicyAttachment(`${name}-logs`, { role: role.name, policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole }, parent);
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { namePrefix: `/pulumiscale/relay/${name}-`, retentionInDays: args.logRetentionInDays ?? 30 }, parent);

    this.function = new aws.lambda.Function(
      `${name}-relay`,
      {
        description: "PulumiScale alert relay: forwards alerts to GitHub's dispatch API",
        runtime: args.runtime ?? aws.lambda.Runtime.NodeJS24dX,
        handler: "lambda.handler",
        code: relayCode(args.lambdaBundle ?? DEFAULT_BUNDLE),
        role: role.arn,
        timeout: args.timeout ?? longestGitHubWaitSeconds(args) + 5,
        memorySize: args.memorySize ?? 256,
        kmsKeyArn: args.kmsKeyArn,
        // The relay writes one JSON line per request itself: Lambda's JSON format would wrap it again.
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        environment: { variables: relayEnvironment(args, metricsToken, eventBridgeKey) },
      },
      { ...parent, additionalSecretOutputs: ["environment"] },
    );

    this.functionUrl = new aws.lambda.FunctionUrl(`${name}-url`, { functionName: this.function.name, authorizationType: "NONE" }, parent);
    // A public Function URL needs both statements (AWS requires the second since October 2025).
    new aws.lambda.Permission(
      `${name}-url-public`,
      { function: this.function.name, action: "lambda:InvokeFunctionUrl", principal: "*", functionUrlAuthType: "NONE" },
      parent,
    );
    new aws.lambda.Permission(
      `${name}-url-invoke`,
      { function: this.function.name, action: "lambda:InvokeFunction", principal: "*", invokedViaFunctionUrl: true },
      parent,
    );
    this.url = this.functionUrl.functionUrl;
    this.metricsToken = pulumi.secret(metricsToken);

    if (args.eventBridge && eventBridgeKey) {
      this.eventBridge = forwardAlarmStateChanges(
        name,
        {
          relayUrl: this.url,
          apiKey: eventBridgeKey,
          alarmNames: args.eventBridge.alarmNames,
          states: args.eventBridge.states ?? ["ALARM", "OK"],
          invocationRateLimitPerSecond: args.eventBridge.invocationRateLimitPerSecond ?? 1,
        },
        this,
      );
    }

    this.registerOutputs({ url: this.url, functionName: this.function.name, metricsToken: this.metricsToken });
  }
}

/** The RELAY_* variables; every credential is a Pulumi secret. */
function relayEnvironment(
  args: PulumiScaleRelayArgs,
  metricsToken: pulumi.Input<string>,
  eventBridgeKey: pulumi.Input<string> | undefined,
): Record<string, pulumi.Input<string>> {
  const secret = (value: pulumi.Input<string>) => pulumi.secret(value);
  const variables: Record<string, pulumi.Input<string>> = { ...args.settings };
  for (const [key, value] of Object.entries(args.inboundSecrets ?? {})) variables[key] = secret(value);
  if (args.githubToken !== undefined) variables["RELAY_GITHUB_TOKEN"] = secret(args.githubToken);
  if (args.githubApp) {
    variables["RELAY_GITHUB_APP_ID"] = args.githubApp.appId;
    variables["RELAY_GITHUB_APP_PRIVATE_KEY"] = secret(args.githubApp.privateKey);
    if (args.githubApp.installationId !== undefined) variables["RELAY_GITHUB_APP_INSTALLATION_ID"] = args.githubApp.installationId;
  }
  if (args.repository !== undefined) variables["RELAY_GITHUB_REPOSITORY"] = args.repository;
  if (args.stack !== undefined) variables["RELAY_STACK"] = args.stack;
  if (args.routes !== undefined) variables["RELAY_ROUTES"] = pulumi.output(args.routes).apply((routes) => JSON.stringify(routes));
  if (args.eventType !== undefined) variables["RELAY_EVENT_TYPE"] = args.eventType;
  if (eventBridgeKey !== undefined) variables["RELAY_EVENTBRIDGE_API_KEY"] = secret(eventBridgeKey);
  variables["RELAY_METRICS_TOKEN"] = secret(metricsToken);
  // Keeps the peak memory under hostile load lower (docs/relay.md, "Memory budget").
  variables["NODE_OPTIONS"] = "--max-semi-space-size=4";
  return variables;
}
