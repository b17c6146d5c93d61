import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import { createLambdaHandler } from "../../src/relay/lambda.js";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { CERTIFICATE_DOWNLOADS_PER_WINDOW, isSnsHost, type SnsEnvelope } from "../../src/relay/sns.js";
import { makeCertificate, type TestCertificate } from "./support/certificate.js";
import { GitHubStandIn } from "./support/github-stand-in.js";
import { GITHUB_TOKEN, TOPIC_ARN, fixture, post, relayEnv, settleRelays, startRelay, type RunningRelay } from "./support/relay.js";
import { SnsStandIn, signSns } from "./support/sns.js";

const alarmMessage = fixture("cloudwatch-alarm-message-single-metric.aws-lambda-go.json")
  .trim()
  .replace("arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE", "arn:aws:cloudwatch:us-west-2:123456789012:alarm:EXAMPLE");

let certificate: TestCertificate;
let sns: SnsStandIn;
let github: GitHubStandIn;
const running: RunningRelay[] = [];

beforeAll(async () => {
  certificate = makeCertificate("sns.test");
  sns = new SnsStandIn(certificate);
  await sns.start();
  github = new GitHubStandIn(GITHUB_TOKEN);
  await github.start();
});

afterEach(async () => {
  await settleRelays(running, github);
  sns.certificateDownloads.length = 0;
  sns.subscribeVisits.length = 0;
});

afterAll(async () => {
  await sns.stop();
  await github.stop();
});

/**
 * A relay that accepts the local SNS stand-in as an SNS host and trusts its certificate.
 * `now` replaces its clock; `env` adds settings.
 */
async function relay(options: { injectHost?: boolean; now?: () => Date; env?: Record<string, string> } = {}): Promise<RunningRelay> {
  const started = await startRelay(relayEnv(github.url, options.env), {
    ...(options.injectHost === false ? {} : { sns: { isAllowedHost: (host: string) => host === sns.host, trustedCa: certificate.certificatePem } }),
    ...(options.now ? { now: options.now } : {}),
  });
  running.push(started);
  return started;
}

// Messages are stamped with the real time unless a test says otherwise: the relay refuses old ones.
function notification(overrides: Partial<SnsEnvelope> = {}): Omit<SnsEnvelope, "Signature"> {
  return {
    Type: "Notification",
    MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
    TopicArn: TOPIC_ARN,
    Subject: 'ALARM: "EXAMPLE" in US West (Oregon)',
    Message: alarmMessage,
    Timestamp: new Date().toISOString(),
    SignatureVersion: "1",
    SigningCertURL: `https://${sns.host}/SimpleNotificationService-0000000000000000000000.pem`,
    UnsubscribeURL: `https://${sns.host}/?Action=Unsubscribe&SubscriptionArn=${TOPIC_ARN}:c9135db0`,
    ...overrides,
  };
}

/** The guide's example, re-addressed to the stand-in, stamped now and signed with the test key. */
function confirmation(type: "SubscriptionConfirmation" | "UnsubscribeConfirmation", topicArn = TOPIC_ARN): Omit<SnsEnvelope, "Signature"> {
  const example = JSON.parse(fixture(type === "SubscriptionConfirmation" ? "sns-subscription-confirmation.json" : "sns-unsubscribe-confirmation.json")) as Record<string, string>;
  return {
    Type: type,
    MessageId: example["MessageId"]!,
    Token: example["Token"]!,
    TopicArn: topicArn,
    Message: example["Message"]!,
    SubscribeURL: `https://${sns.host}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${example["Token"]}`,
    Timestamp: new Date().toISOString(),
    SignatureVersion: "1",
    SigningCertURL: `https://${sns.host}/SimpleNotificationService-0000000000000000000000.pem`,
  };
}

/**
 * The fields SNS signs in a Notification, as AWS lists them ("Verifying the signatures of Amazon
 * SNS messages": Message, MessageId, Subject if present, Timestamp, TopicArn, Type): the only
 * ones the relay forwards.
 */
function signedOnly(envelope: SnsEnvelope): Record<string, unknown> {
  const { Message, MessageId, Subject, Timestamp, TopicArn, Type } = envelope;
  return { Message, MessageId, ...(Subject !== undefined ? { Subject } : {}), Timestamp, TopicArn, Type };
}

const send = (url: string, envelope: SnsEnvelope) =>
  post(`${url}/sns`, JSON.stringify(envelope), {
    "content-type": "text/plain; charset=UTF-8",
    "x-amz-sns-message-type": envelope.Type,
    "x-amz-sns-topic-arn": envelope.TopicArn,
  });

describe("SNS notifications", () => {
  test.each(["1", "2"])("a notification signed with signature version %s is forwarded under one key", async (version) => {
    const { url } = await relay();
    const envelope = signSns(notification({ SignatureVersion: version }), certificate.privateKey);
    const response = await send(url, envelope);
    expect(response.status).toBe(200);
    expect(github.dispatches).toHaveLength(1);
    expect(github.dispatches[0]!.body).toEqual({ event_type: "pulumiscale", client_payload: { source: "cloudwatch", sns: signedOnly(envelope), relay: { received: expect.any(String), dispatched: expect.any(String) } } });
  });

  // Issue 12: unsigned fields added to a signed message were forwarded.
  test("fields the signature does not cover are not forwarded", async () => {
    const { url } = await relay();
    const envelope = { ...signSns(notification(), certificate.privateKey), Injected: { target: "workers", delta: 100 }, UnsubscribeURL: "https://evil.example/" };
    expect((await send(url, envelope as SnsEnvelope)).status).toBe(200);
    const forwarded = (github.dispatches[0]!.body as { client_payload: { sns: Record<string, unknown> } }).client_payload.sns;
    expect(Object.keys(forwarded).sort()).toEqual(["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]);
  });

  test("a notification without a subject is signed without one", async () => {
    const { url } = await relay();
    const { Subject: _subject, ...withoutSubject } = notification();
    expect((await send(url, signSns(withoutSubject, certificate.privateKey))).status).toBe(200);
  });

  test("the signing certificate is downloaded once and cached", async () => {
    const { url } = await relay();
    for (const id of ["a", "b", "c"]) {
      expect((await send(url, signSns(notification({ MessageId: id }), certificate.privateKey))).status).toBe(200);
    }
    expect(sns.certificateDownloads).toHaveLength(1);
  });

  const signed = () => signSns(notification(), certificate.privateKey);
  test.each<[string, () => SnsEnvelope, string]>([
    ["a tampered message", () => ({ ...signed(), Message: alarmMessage.replace("ALARM", "OK") }), "sns_signature"],
    ["a tampered topic", () => ({ ...signed(), Subject: "something else" }), "sns_signature"],
    ["a signature by another key", () => signSns(notification(), makeCertificate("other").privateKey), "sns_signature"],
    ["an unknown signature version", () => signSns(notification({ SignatureVersion: "3" }), certificate.privateKey), "sns_signature"],
    ["a certificate on another host", () => signSns(notification({ SigningCertURL: "https://sns.evil.example.com/cert.pem" }), certificate.privateKey), "sns_certificate_url"],
    ["a certificate over http", () => signSns(notification({ SigningCertURL: `http://${sns.host}/cert.pem` }), certificate.privateKey), "sns_certificate_url"],
    ["a certificate URL that is not a .pem", () => signSns(notification({ SigningCertURL: `https://${sns.host}/cert.txt` }), certificate.privateKey), "sns_certificate_url"],
    ["an unknown topic", () => signSns(notification({ TopicArn: "arn:aws:sns:us-west-2:123456789012:Other" }), certificate.privateKey), "sns_topic"],
  ])("%s is refused with 403 and nothing is forwarded", async (_, make, reason) => {
    const { url, relay: core } = await relay();
    const response = await send(url, make());
    expect(response.status).toBe(403);
    expect(response.json()["error"]).toBe(reason);
    expect(github.requests).toHaveLength(0);
    expect(core.metrics.rejected.get({ endpoint: "sns", reason })).toBe(1);
    if (reason === "sns_topic" || reason === "sns_certificate_url") expect(sns.certificateDownloads).toHaveLength(0);
  });

  test("without the test-only host override, only sns.<region>.amazonaws.com may serve certificates", async () => {
    const { url } = await relay({ injectHost: false });
    const response = await send(url, signed());
    expect(response.status).toBe(403);
    expect(response.json()["error"]).toBe("sns_certificate_url");
    expect(isSnsHost("sns.us-east-1.amazonaws.com")).toBe(true);
    expect(isSnsHost("sns.cn-north-1.amazonaws.com.cn")).toBe(true);
    for (const host of ["sns.us-east-1.amazonaws.com.evil.com", "evil.com", "sns.us-east-1.amazonaws.com:8443", "xsns.us-east-1.amazonaws.com", "s3.amazonaws.com"]) {
      expect(isSnsHost(host)).toBe(false);
    }
  });

  // Endpoints from the AWS General Reference, "Amazon SNS endpoints and quotas".
  test.each(["sns.us-gov-west-1.amazonaws.com", "sns.ap-southeast-3.amazonaws.com", "sns.il-central-1.amazonaws.com", "sns.cn-northwest-1.amazonaws.com.cn"])(
    "%s is an SNS host",
    (host) => expect(isSnsHost(host)).toBe(true),
  );

  // Issue 12: the pattern also accepted sns.s3-us-west-2.amazonaws.com.
  test.each([
    "sns.s3-us-west-2.amazonaws.com",
    "sns.s3.amazonaws.com",
    "sns.us-west-2.s3.amazonaws.com",
    "sns.amazonaws.com",
    "sns.cn-north-1.amazonaws.com",
    "sns.us-east-1.amazonaws.com.cn",
    "sns.-us-east-1.amazonaws.com",
    "SNS.us-east-1.amazonaws.com",
  ])("%s is not an SNS host", (host) => expect(isSnsHost(host)).toBe(false));

  // Issue 12: failed downloads were not cached (50 URLs, 50 outbound attempts).
  test("failed certificate downloads are remembered, and few distinct certificate URLs are fetched", async () => {
    const attempts: string[] = [];
    const failing = createNetServer((socket) => {
      attempts.push("connection");
      socket.destroy();
    });
    await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(failing.address() as AddressInfo).port}`;
    try {
      const started = await startRelay(relayEnv(github.url), { sns: { isAllowedHost: (candidate) => candidate === host, trustedCa: certificate.certificatePem } });
      running.push(started);
      const at = (name: string) => signSns(notification({ SigningCertURL: `https://${host}/${name}.pem` }), certificate.privateKey);
      for (let round = 0; round < 3; round++) expect((await send(started.url, at("same"))).status).toBe(503);
      expect(attempts).toHaveLength(1);
      for (let index = 0; index < 50; index++) expect((await send(started.url, at(`cert-${index}`))).status).toBe(503);
      expect(attempts.length).toBeLessThanOrEqual(CERTIFICATE_DOWNLOADS_PER_WINDOW);
      expect(github.requests).toHaveLength(0);
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });

  test("an expired signing certificate is refused with 403; a certificate that cannot be downloaded is a 503", async () => {
    const expired = makeCertificate("sns.test", { from: new Date(Date.now() - 2 * 86_400_000), to: new Date(Date.now() - 86_400_000) });
    const expiredHost = new SnsStandIn(certificate, expired.certificatePem);
    await expiredHost.start();
    try {
      const started = await startRelay(relayEnv(github.url), {
        sns: { isAllowedHost: (host) => host === expiredHost.host || host === "127.0.0.1:9", trustedCa: certificate.certificatePem },
      });
      running.push(started);
      const fromExpired = signSns(notification({ SigningCertURL: `https://${expiredHost.host}/SimpleNotificationService-x.pem` }), expired.privateKey);
      const refused = await send(started.url, fromExpired);
      expect(refused.status).toBe(403);
      expect(refused.json()["error"]).toBe("sns_certificate");

      // Nothing listens on port 9: SNS should deliver again later.
      const unreachable = signSns(notification({ SigningCertURL: "https://127.0.0.1:9/SimpleNotificationService-x.pem" }), certificate.privateKey);
      const unavailable = await send(started.url, unreachable);
      expect(unavailable.status).toBe(503);
      expect(unavailable.json()["error"]).toBe("sns_unavailable");
      expect(github.requests).toHaveLength(0);
    } finally {
      await expiredHost.stop();
    }
  });

  test("bodies that are not SNS messages are refused with 400", async () => {
    const { url } = await relay();
    const fromTopic = { "x-amz-sns-topic-arn": TOPIC_ARN };
    expect((await post(`${url}/sns`, "[]", fromTopic)).status).toBe(400);
    expect((await post(`${url}/sns`, '{"Type":"Notification"}', fromTopic)).status).toBe(400);
    expect((await post(`${url}/sns`, '{"Type":"Other","MessageId":"1"}', fromTopic)).status).toBe(400);
    // Without the topic header SNS always sends, the body is not even read.
    expect((await post(`${url}/sns`, '{"Type":"Notification"}')).status).toBe(403);
    expect(github.requests).toHaveLength(0);
  });
});

describe("SNS subscriptions", () => {
  test("a SubscriptionConfirmation for an allowed topic is confirmed by visiting its SubscribeURL", async () => {
    const { url } = await relay();
    const response = await send(url, signSns(confirmation("SubscriptionConfirmation"), certificate.privateKey));
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ confirmed: TOPIC_ARN });
    expect(sns.subscribeVisits).toHaveLength(1);
    expect(new URL(sns.subscribeVisits[0]!).searchParams.get("TopicArn")).toBe(TOPIC_ARN);
    expect(github.requests).toHaveLength(0);
  });

  test("a SubscriptionConfirmation for another topic is refused and not confirmed", async () => {
    const { url } = await relay();
    const response = await send(url, signSns(confirmation("SubscriptionConfirmation", "arn:aws:sns:us-west-2:123456789012:Other"), certificate.privateKey));
    expect(response.status).toBe(403);
    expect(sns.subscribeVisits).toHaveLength(0);
  });

  test("a forged SubscriptionConfirmation, or one pointing elsewhere, is not confirmed", async () => {
    const { url } = await relay();
    const forged = { ...signSns(confirmation("SubscriptionConfirmation"), certificate.privateKey), Token: "other" };
    expect((await send(url, forged)).status).toBe(403);
    const elsewhere = signSns({ ...confirmation("SubscriptionConfirmation"), SubscribeURL: `https://attacker.example.com/?Action=ConfirmSubscription&TopicArn=${TOPIC_ARN}` }, certificate.privateKey);
    expect((await send(url, elsewhere)).status).toBe(403);
    expect(sns.subscribeVisits).toHaveLength(0);
  });

  test("an UnsubscribeConfirmation is verified, answered 200, and neither forwarded nor re-subscribed", async () => {
    const { url, logs } = await relay();
    const response = await send(url, signSns(confirmation("UnsubscribeConfirmation"), certificate.privateKey));
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ unsubscribed: TOPIC_ARN });
    expect(sns.subscribeVisits).toHaveLength(0);
    expect(github.requests).toHaveLength(0);
    expect(logs.some((line) => line.includes('"unsubscribed"'))).toBe(true);
  });
});

describe("SNS message age", () => {
  // The relay's clock is fixed, so every timestamp below is a known distance from it.
  const clock = new Date();
  const minutes = (count: number) => new Date(clock.getTime() + count * 60_000).toISOString();
  const stamped = (timestamp: string) => signSns(notification({ SignatureVersion: "2", Timestamp: timestamp }), certificate.privateKey);

  test("a validly signed notification older than the maximum age (1h by default) is refused with 403 and not forwarded", async () => {
    const { url, relay: core, logs } = await relay({ now: () => clock });
    const response = await send(url, stamped(minutes(-61)));
    expect(response.status).toBe(403);
    expect(response.json()["error"]).toBe("sns_timestamp_too_old");
    expect(response.json()["message"]).toMatch(/more than 1h ago.*RELAY_SNS_MAX_AGE/);
    expect(github.requests).toHaveLength(0);
    expect(core.metrics.rejected.get({ endpoint: "sns", reason: "sns_timestamp_too_old" })).toBe(1);
    expect(logs.some((line) => line.includes('"reason":"sns_timestamp_too_old"'))).toBe(true);
  });

  test("a notification within the maximum age is forwarded", async () => {
    const { url } = await relay({ now: () => clock });
    expect((await send(url, stamped(minutes(-59)))).status).toBe(200);
    expect(github.dispatches).toHaveLength(1);
  });

  test("RELAY_SNS_MAX_AGE sets the maximum age", async () => {
    const { url } = await relay({ now: () => clock, env: { RELAY_SNS_MAX_AGE: "10m" } });
    expect((await send(url, stamped(minutes(-11)))).json()["error"]).toBe("sns_timestamp_too_old");
    expect((await send(url, stamped(minutes(-9)))).status).toBe(200);
    expect(github.dispatches).toHaveLength(1);
  });

  test("a timestamp more than 5 minutes ahead of the relay's clock is refused with 403; a smaller skew is accepted", async () => {
    const { url, relay: core } = await relay({ now: () => clock });
    const ahead = await send(url, stamped(minutes(6)));
    expect(ahead.status).toBe(403);
    expect(ahead.json()["error"]).toBe("sns_timestamp_in_future");
    expect(ahead.json()["message"]).toMatch(/clock/);
    expect(github.requests).toHaveLength(0);
    expect(core.metrics.rejected.get({ endpoint: "sns", reason: "sns_timestamp_in_future" })).toBe(1);
    expect((await send(url, stamped(minutes(4)))).status).toBe(200);
  });

  test("an old message whose signature does not match is reported as a bad signature, not as old", async () => {
    const { url } = await relay({ now: () => clock });
    const forged = { ...stamped(minutes(-120)), Message: alarmMessage.replace("ALARM", "OK") };
    expect((await send(url, forged)).json()["error"]).toBe("sns_signature");
  });

  test("old subscription and unsubscribe confirmations are refused and not acted on", async () => {
    const { url, logs } = await relay({ now: () => clock });
    for (const type of ["SubscriptionConfirmation", "UnsubscribeConfirmation"] as const) {
      const old = signSns({ ...confirmation(type), Timestamp: minutes(-61) }, certificate.privateKey);
      const response = await send(url, old);
      expect(response.status).toBe(403);
      expect(response.json()["error"]).toBe("sns_timestamp_too_old");
    }
    expect(sns.subscribeVisits).toHaveLength(0);
    expect(logs.some((line) => line.includes('"unsubscribed"'))).toBe(false);
  });

  test("a Timestamp that is not an ISO 8601 time is refused with 400", async () => {
    const { url } = await relay({ now: () => clock });
    const response = await send(url, stamped("yesterday"));
    expect(response.status).toBe(400);
    expect(response.json()["error"]).toBe("sns_invalid");
  });

  test("an old record delivered to Lambda is dropped without a retry", async () => {
    const { relay: core } = await relay({ now: () => clock });
    const handler = createLambdaHandler(() => core);
    await expect(handler({ Records: [{ EventSource: "aws:sns", Sns: stamped(minutes(-61)) }] })).resolves.toBeUndefined();
    expect(github.requests).toHaveLength(0);
    expect(core.metrics.rejected.get({ endpoint: "sns", reason: "sns_timestamp_too_old" })).toBe(1);
  });
});

describe("SNS delivered to a Lambda subscription", () => {
  test("the record is verified with Lambda's field names and forwarded in the HTTP shape", async () => {
    const { relay: core } = await relay();
    const handler = createLambdaHandler(() => core);
    const envelope = signSns(notification(), certificate.privateKey);
    const { SigningCertURL, UnsubscribeURL, ...rest } = envelope;
    const record = { ...rest, SigningCertUrl: SigningCertURL, UnsubscribeUrl: UnsubscribeURL, MessageAttributes: {} };
    await handler({ Records: [{ EventSource: "aws:sns", EventVersion: "1.0", Sns: record }] });
    expect(github.dispatches).toHaveLength(1);
    expect(github.dispatches[0]!.body).toEqual({ event_type: "pulumiscale", client_payload: { source: "cloudwatch", sns: signedOnly(envelope), relay: { received: expect.any(String), dispatched: expect.any(String) } } });
  });

  test("a forged record is dropped without a retry; a GitHub outage fails the invocation so Lambda retries", async () => {
    const { relay: core } = await relay();
    const handler = createLambdaHandler(() => core);
    const forged = { ...signSns(notification(), certificate.privateKey), Message: "{}" };
    await expect(handler({ Records: [{ EventSource: "aws:sns", Sns: forged }] })).resolves.toBeUndefined();
    github.dispatchAnswers.push({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const valid = signSns(notification(), certificate.privateKey);
    await expect(handler({ Records: [{ EventSource: "aws:sns", Sns: valid }] })).rejects.toThrow(/503/);
    expect(github.dispatches).toHaveLength(0);
  });
});
