import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmState } from "./args";

/** The header the relay reads the API key from by default (RELAY_EVENTBRIDGE_API_KEY_HEADER). */
export const EVENTBRIDGE_API_KEY_HEADER = "x-api-key";

export interface AlarmForwardingArgs {
  /** The relay's Function URL (it ends with `/`). */
  relayUrl: pulumi.Input<string>;
  apiKey: pulumi.Input<string>;
  alarmNames?: string[];
  states: AlarmState[];
  invocationRateLimitPerSecond: number;
}

/** The EventBridge rule that sends "CloudWatch Alarm State Change" events to the relay's `/eventbridge`. */
export interface AlarmForwarding {
  readonly connection: aws.cloudwatch.EventConnection;
  readonly apiDestination: aws.cloudwatch.EventApiDestination;
  readonly rule: aws.cloudwatch.EventRule;
  readonly target: aws.cloudwatch.EventTarget;
  readonly role: aws.iam.Role;
}

/** The rule's pattern: state changes of the named alarms (or every alarm) into the given states. */
export function alarmStateChangePattern(alarmNames: string[] | undefined, states: AlarmState[]): string {
  return JSON.stringify({
    source: ["aws.cloudwatch"],
    "detail-type": ["CloudWatch Alarm State Change"],
    detail: { ...(alarmNames ? { alarmName: alarmNames } : {}), state: { value: states } },
  });
}

export function forwardAlarmStateChanges(name: string, args: AlarmForwardingArgs, parent: pulumi.Resource): AlarmForwarding {
  const opts = { parent };
  // EventBridge keeps the connection's API key in a Secrets Manager secret of its own.
  const connection = new aws.cloudwatch.EventConnection(
    `${name}-eventbridge`,
    {
      description: "PulumiScale relay: the API key of its /eventbridge endpoint",
      authorizationType: "API_KEY",
      authParameters: { apiKey: { key: EVENTBRIDGE_API_KEY_HEADER, value: pulumi.secret(args.apiKey) } },
    },
    opts,
  );
  const apiDestination = new aws.cloudwatch.EventApiDestination(
    `${name}-eventbridge`,
    {
      description: "PulumiScale relay: its /eventbridge endpoint",
      connectionArn: connection.arn,
      httpMethod: "POST",
      invocationEndpoint: pulumi.output(args.relayUrl).apply((url) => `${url.replace(/\/$/, "")}/eventbridge`),
      invocationRateLimitPerSecond: args.invocationRateLimitPerSecond,
    },
    opts,
  );
  const rule = new aws.cloudwatch.EventRule(
    `${name}-alarms`,
    {
      description: "PulumiScale relay: CloudWatch alarm state changes that scale",
      eventPattern: alarmStateChangePattern(args.alarmNames, args.states),
    },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-eventbridge`,
    { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "events.amazonaws.com" }) },
    opts,
  );
  new aws.iam.RolePolicy(
    `${name}-eventbridge`,
    {
      role: role.id,
      policy: apiDestination.arn.apply((arn) =>
        JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "events:InvokeApiDestination", Resource: arn }] }),
      ),
    },
    opts,
  );
  // No input transformer: the relay's /eventbridge takes the event as EventBridge sends it and nests
  // it itself ({ "source": "cloudwatch", "eventbridge": <event> }, docs/events.md).
  const target = new aws.cloudwatch.EventTarget(`${name}-to-relay`, { rule: rule.name, arn: apiDestination.arn, roleArn: role.arn }, opts);
  return { connection, apiDestination, rule, target, role };
}
