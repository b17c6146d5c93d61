import { afterAll, beforeAll, expect, test } from "@jest/globals";
import type { DescribedAlarm } from "../../src/reask/alarm-states.js";
import { CloudWatchQuery, describeAlarmsForm } from "../../src/reask/cloudwatch-query.js";
import { parseXml } from "../../src/reask/query-xml.js";
import { signV4 } from "../../src/reask/sigv4.js";
import { CloudWatchQueryStandIn } from "../support/cloudwatch-query-stand-in.js";
import { CloudWatchStandIn } from "../support/cloudwatch-stand-in.js";

// The re-ask's one I/O: DescribeAlarms over CloudWatch's Query API, signed with SigV4, against a
// loopback endpoint that checks the signature and both directions against AWS's API model.

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session-token-example" };
const ARN = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:";

const single: DescribedAlarm = {
  AlarmName: "jobs-backlog-high",
  AlarmArn: `${ARN}jobs-backlog-high`,
  AlarmDescription: "Jobs <waiting> & \"stuck\"",
  ActionsEnabled: true,
  StateValue: "ALARM",
  StateReason: "Threshold Crossed",
  StateReasonData: JSON.stringify({ recentDatapoints: [812], threshold: 500 }),
  StateTransitionedTimestamp: "2026-12-02T12:04:00.000Z",
  MetricName: "ApproximateNumberOfMessagesVisible",
  Namespace: "AWS/SQS",
  Dimensions: [{ Name: "QueueName", Value: "jobs" }],
  Threshold: 500.5,
};
const math: DescribedAlarm = {
  AlarmName: "error-rate",
  AlarmArn: `${ARN}error-rate`,
  ActionsEnabled: false,
  StateValue: "OK",
  StateTransitionedTimestamp: "2026-12-02T11:00:00.000Z",
  Threshold: 5,
  Metrics: [
    { Id: "e1", Expression: "100 * errors / requests", Label: "error rate", ReturnData: true },
    { Id: "errors", MetricStat: { Metric: { Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_Target_5XX_Count", Dimensions: [{ Name: "LoadBalancer", Value: "app/web/1" }] }, Period: 60, Stat: "Sum" }, ReturnData: false },
  ],
};
const composite: DescribedAlarm = { AlarmName: "web-degraded", AlarmArn: `${ARN}web-degraded`, ActionsEnabled: true, StateValue: "ALARM", StateTransitionedTimestamp: "2026-12-02T12:00:00.000Z" };

let alarms: CloudWatchStandIn;
let endpoint: CloudWatchQueryStandIn;
let client: CloudWatchQuery;

beforeAll(async () => {
  alarms = new CloudWatchStandIn({ "eu-west-1": { metric: [single, math], composite: [composite] } }, 2);
  endpoint = new CloudWatchQueryStandIn(alarms, credentials, "eu-west-1");
  await endpoint.start();
  client = new CloudWatchQuery({ credentials, endpoint: () => endpoint.url });
});

afterAll(async () => {
  await endpoint.stop();
  expect(endpoint.invalid).toEqual([]);
  expect(alarms.invalid).toEqual([]);
});

test("SigV4 gives the signature of AWS's documented example (IAM ListUsers, 2015-08-30)", () => {
  const headers = signV4(
    { method: "GET", host: "iam.amazonaws.com", path: "/", query: "Action=ListUsers&Version=2010-05-08", headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body: "", region: "us-east-1", service: "iam" },
    { accessKeyId: "AKIDEXAMPLE", secretAccessKey: credentials.secretAccessKey },
    new Date("2015-08-30T12:36:00Z"),
  );
  expect(headers["authorization"]).toBe(
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
  );
});

test("the form flattens lists the Query protocol's way", () => {
  expect(describeAlarmsForm({ AlarmNames: ["a b", "c/d"], AlarmTypes: ["MetricAlarm"], NextToken: "t+1" })).toBe(
    "Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=a%20b&AlarmNames.member.2=c%2Fd&AlarmTypes.member.1=MetricAlarm&NextToken=t%2B1",
  );
});

test("metric, metric-math and composite alarms come back as CloudWatch holds them, page by page, signed with the session token", async () => {
  const names = ["jobs-backlog-high", "error-rate", "web-degraded"];
  const first = await client.describeAlarms("eu-west-1", { AlarmNames: names, AlarmTypes: ["MetricAlarm", "CompositeAlarm"] });
  expect(first).toEqual({ MetricAlarms: [single, math], CompositeAlarms: [], NextToken: "2" });
  const second = await client.describeAlarms("eu-west-1", { AlarmNames: names, AlarmTypes: ["MetricAlarm", "CompositeAlarm"], NextToken: "2" });
  expect(second).toEqual({ MetricAlarms: [], CompositeAlarms: [composite] });
  expect(endpoint.sessionTokens).toEqual(["session-token-example", "session-token-example"]);
});

test("a refused call is an error with CloudWatch's code and message", async () => {
  alarms.failWith = new Error("AccessDenied: User is not authorized to perform: cloudwatch:DescribeAlarms");
  try {
    await expect(client.describeAlarms("eu-west-1", { AlarmNames: ["x"], AlarmTypes: ["MetricAlarm"] })).rejects.toThrow(
      "AccessDenied: User is not authorized to perform: cloudwatch:DescribeAlarms (HTTP 403)",
    );
  } finally {
    delete alarms.failWith;
  }
});

test("the XML reader decodes entities and refuses what is not well formed", () => {
  expect(parseXml("<?xml version=\"1.0\"?><a><b>x &amp; &#60;y&#x3E;</b><c/></a>")).toEqual({
    name: "a",
    text: "",
    children: [
      { name: "b", text: "x & <y>", children: [] },
      { name: "c", text: "", children: [] },
    ],
  });
  expect(() => parseXml("<a><b></a>")).toThrow("XML: </a> closes <b>");
  expect(() => parseXml("<a>")).toThrow("XML: <a> is never closed");
});
