// acme/web: a Fargate service behind nothing fancy and an EKS managed node group, each scaled by
// PulumiScale. The counts live in stack config (webCount, nodeCount) so that a scaling writes
// them where a normal `pulumi up` reads them; the policy is exported as the stack output
// `pulumiscale`, which the action reads from the deployed stack.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
// Copy src/policy/define.ts next to your program: it imports nothing.
import { definePolicy } from "../../src/policy/define";
import { alarmNames, bounds, pace, rules, type StackName } from "./scaling";

const stack = pulumi.getStack() as StackName;
if (!Object.hasOwn(bounds, stack)) throw new Error(`stack ${stack}: expected one of ${Object.keys(bounds).join(", ")} (scaling.ts)`);
const limits = bounds[stack];

const config = new pulumi.Config();
const webCount = config.requireNumber("webCount");
const nodeCount = config.requireNumber("nodeCount");
const vpcId = config.require("vpcId");
const subnetIds = config.requireObject<string[]>("subnetIds");
const relayUrl = config.require("relayUrl");

// --- ECS: the web service, scaled from CloudWatch alarms --------------------------------------

const cluster = new aws.ecs.Cluster("web", {});

const taskRole = new aws.iam.Role("web-task-execution", {
  assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ecs-tasks.amazonaws.com" }),
  managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
});

const task = new aws.ecs.TaskDefinition("web", {
  family: `web-${stack}`,
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  cpu: "256",
  memory: "512",
  executionRoleArn: taskRole.arn,
  containerDefinitions: JSON.stringify([{ name: "web", image: "public.ecr.aws/nginx/nginx:1.27", essential: true, portMappings: [{ containerPort: 80 }] }]),
});

const webSecurityGroup = new aws.ec2.SecurityGroup("web", {
  vpcId,
  ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["10.0.0.0/8"] }],
  egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
});

const service = new aws.ecs.Service("web", {
  cluster: cluster.arn,
  taskDefinition: task.arn,
  launchType: "FARGATE",
  // The count PulumiScale changes. No Application Auto Scaling on this service: it would change
  // desiredCount behind Pulumi's back and the next `pulumi up` would undo it.
  desiredCount: webCount,
  networkConfiguration: { subnets: subnetIds, securityGroups: [webSecurityGroup.id] },
});

// Alarm state changes go to SNS, which delivers them to the relay's /sns endpoint; the relay
// routes them by alarm name to this stack's event type (relay-routes.json).
const alarms = new aws.sns.Topic("pulumiscale-alarms", {});
new aws.sns.TopicSubscription("pulumiscale-relay", { topic: alarms.arn, protocol: "https", endpoint: `${relayUrl}/sns` });

const names = alarmNames(stack);
const ecsDimensions = { ClusterName: cluster.name, ServiceName: service.name };
new aws.cloudwatch.MetricAlarm("web-cpu-high", {
  name: names.cpuHigh,
  namespace: "AWS/ECS",
  metricName: "CPUUtilization",
  dimensions: ecsDimensions,
  statistic: "Average",
  period: 60,
  evaluationPeriods: 3,
  comparisonOperator: "GreaterThanThreshold",
  threshold: 70,
  alarmActions: [alarms.arn],
});
new aws.cloudwatch.MetricAlarm("web-cpu-low", {
  name: names.cpuLow,
  namespace: "AWS/ECS",
  metricName: "CPUUtilization",
  dimensions: ecsDimensions,
  statistic: "Average",
  period: 300,
  evaluationPeriods: 3,
  comparisonOperator: "LessThanThreshold",
  threshold: 20,
  alarmActions: [alarms.arn],
});

// --- EKS: the node group, scaled from Prometheus alerts through Alertmanager ------------------

const clusterRole = new aws.iam.Role("eks-cluster", {
  assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "eks.amazonaws.com" }),
  managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
});

const eks = new aws.eks.Cluster("web", {
  roleArn: clusterRole.arn,
  vpcConfig: { subnetIds },
});

const nodeRole = new aws.iam.Role("eks-nodes", {
  assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ec2.amazonaws.com" }),
  managedPolicyArns: [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  ],
});

const nodes = new aws.eks.NodeGroup("nodes", {
  clusterName: eks.name,
  nodeRoleArn: nodeRole.arn,
  subnetIds,
  instanceTypes: ["m6i.large"],
  // The policy's bounds are the group's own: EKS refuses a desiredSize outside minSize..maxSize,
  // and the policy must never ask for one. Run no Cluster Autoscaler (or Karpenter) on this group:
  // it would change desiredSize behind Pulumi's back, and the two would undo each other.
  scalingConfig: { desiredSize: nodeCount, minSize: limits.nodes.min, maxSize: limits.nodes.max },
});

// --- The scaling policy, read by the action from the deployed stack ---------------------------

export const pulumiscale = definePolicy({
  version: 1,
  targets: {
    web: {
      urn: service.urn,
      config: "webCount",
      // desiredCount is Output<number | undefined> (ECS leaves it unset for DAEMON services);
      // this one always sets it, from webCount.
      current: service.desiredCount.apply((count) => count ?? webCount),
      ...limits.web,
      ...pace.web,
    },
    nodes: {
      urn: nodes.urn,
      config: "nodeCount",
      current: nodes.scalingConfig.desiredSize,
      ...limits.nodes,
      ...pace.nodes,
    },
  },
  rules: rules(stack),
});

export const clusterName = eks.name;
export const alarmTopicArn = alarms.arn;
