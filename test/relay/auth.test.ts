import { describe, expect, test } from "@jest/globals";
import { anyOf, basicSecret, bearerSecret, headerSecret, querySecret } from "../../src/relay/auth.js";
import type { RequestHead } from "../../src/relay/endpoints/endpoint.js";

function head(headers: Record<string, string> = {}, query = ""): RequestHead {
  return { method: "POST", path: "/x", query: new URLSearchParams(query), headers };
}
// RFC 7617 section 2's own example: Aladdin / open sesame.
const aladdin = { authorization: "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==" };

describe("credential checks read only the request head", () => {
  test("bearer", () => {
    expect(bearerSecret("s3cret")(head({ authorization: "Bearer s3cret" }))).toBe(true);
    expect(bearerSecret("s3cret")(head({ authorization: "Bearer s3cre" }))).toBe(false);
    expect(bearerSecret("s3cret")(head())).toBe(false);
  });

  test("basic, with RFC 7617's example credentials", () => {
    expect(basicSecret("Aladdin", "open sesame")(head(aladdin))).toBe(true);
    expect(basicSecret("Aladdin", "open sesamE")(head(aladdin))).toBe(false);
    expect(basicSecret("aladdin", "open sesame")(head(aladdin))).toBe(false);
    expect(basicSecret("", "")(head())).toBe(false);
  });

  test("a header", () => {
    expect(headerSecret("X-Api-Key", "k")(head({ "x-api-key": "k" }))).toBe(true);
    expect(headerSecret("x-api-key", "k")(head({ "x-other": "k" }))).toBe(false);
  });

  test("a query-string parameter, exactly once", () => {
    expect(querySecret("token", "t0k")(head({}, "token=t0k"))).toBe(true);
    expect(querySecret("token", "t 0+k")(head({}, "token=t%200%2Bk"))).toBe(true);
    expect(querySecret("token", "t0k")(head({}, "token=t0k&token=t0k"))).toBe(false);
    expect(querySecret("token", "t0k")(head({}, "Token=t0k"))).toBe(false);
    expect(querySecret("token", "t0k")(head())).toBe(false);
  });

  test("any of several", () => {
    const check = anyOf(bearerSecret("a"), basicSecret("Aladdin", "open sesame"));
    expect(check(head({ authorization: "Bearer a" }))).toBe(true);
    expect(check(head(aladdin))).toBe(true);
    expect(check(head({ authorization: "Bearer b" }))).toBe(false);
    expect(anyOf()(head())).toBe(false);
  });
});
