import { fromSnsNotification } from "../payload.js";
import { Refusal } from "../refusal.js";
import { readSnsEnvelope, signedPart, SnsRejection, type SnsEnvelope, type SnsVerifier } from "../sns.js";
import type { Endpoint, Received } from "./endpoint.js";

/**
 * An SNS HTTPS subscription (and, through the Lambda handler, an SNS-to-Lambda subscription).
 * SNS cannot send a secret, so the message's signature and topic are checked instead.
 */
export const snsEndpoint: Endpoint = {
  name: "sns",
  adapters: ["cloudwatch"],
  authentication(config) {
    const sns = config.sns;
    if (!sns) return undefined;
    // SNS names the topic in a header of every HTTP delivery; the signed body must agree (below).
    const topics = new Set(sns.topicArns);
    return {
      kind: "signed-body",
      plausible: (head) => topics.has(head.headers["x-amz-sns-topic-arn"] ?? ""),
      implausible: new Refusal(403, "sns_topic", "the x-amz-sns-topic-arn header names no topic in RELAY_SNS_TOPIC_ARNS"),
    };
  },
  async receive(body, { sns, logger, head }): Promise<Received> {
    if (!sns) throw new Refusal(404, "not_found", "SNS is not enabled: set RELAY_SNS_TOPIC_ARNS");
    const envelope = await verified(sns, body);
    const topicHeader = head?.headers["x-amz-sns-topic-arn"];
    if (topicHeader !== undefined && topicHeader !== envelope.TopicArn) {
      throw new Refusal(403, "sns_topic", "the x-amz-sns-topic-arn header names another topic than the signed message");
    }
    if (envelope.Type === "SubscriptionConfirmation") {
      try {
        await sns.confirmSubscription(envelope);
      } catch (error) {
        if (error instanceof SnsRejection) throw new Refusal(error.status, error.reason, error.message);
        throw new Refusal(502, "sns_confirmation_failed", `confirming the subscription failed: ${(error as Error).message}`);
      }
      logger.info("subscription confirmed", { topicArn: envelope.TopicArn });
      return { kind: "answered", result: { confirmed: envelope.TopicArn } };
    }
    if (envelope.Type === "UnsubscribeConfirmation") {
      // Nothing to forward. The subscription is not restored: whoever unsubscribed meant it.
      logger.warn("unsubscribed", { topicArn: envelope.TopicArn });
      return { kind: "answered", result: { unsubscribed: envelope.TopicArn } };
    }
    return { kind: "forward", inbound: fromSnsNotification(signedPart(envelope)), extra: { messageId: envelope.MessageId } };
  },
};

async function verified(sns: SnsVerifier, body: unknown): Promise<SnsEnvelope> {
  try {
    const envelope = readSnsEnvelope(body);
    await sns.verify(envelope);
    return envelope;
  } catch (error) {
    if (error instanceof SnsRejection) throw new Refusal(error.status, error.reason, error.message);
    throw error;
  }
}
