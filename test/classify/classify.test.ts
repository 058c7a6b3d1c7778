import { describe, expect, it } from "vitest";
import { classify } from "../../src/classify/classify.js";
import { identify } from "../../src/classify/identity.js";
import { eventToRecord } from "../../src/sources/event.js";
import { ACCOUNT, accessPolicyReason, event, iamUser, rbacReason, roleUser } from "../support/events.js";

const rec = (e: Record<string, unknown>) => eventToRecord(e)!;
const roleArn = (n: string) => `arn:aws:iam::${ACCOUNT}:role/${n}`;

describe("identity", () => {
  it("keys an assumed role by its canonical ARN", () => {
    expect(identify(rec(event({ user: roleUser("deploy") })))).toEqual({
      iam: true,
      principalArn: roleArn("deploy"),
      node: false,
    });
  });
  it("derives the ARN from extra.arn when canonicalArn is missing", () => {
    const user = roleUser("deploy");
    delete (user.extra as Record<string, unknown>).canonicalArn;
    expect(identify(rec(event({ user })))).toMatchObject({ principalArn: roleArn("deploy") });
  });
  it("reads old heptio-authenticator-aws uids without principalId", () => {
    const id = identify(
      rec(
        event({
          user: { username: "admin", uid: `heptio-authenticator-aws:${ACCOUNT}:AIDAOLD`, groups: [] },
        }),
      ),
    );
    expect(id).toEqual({ iam: true, principalArn: `aws-iam-authenticator:${ACCOUNT}:AIDAOLD`, node: false });
  });
  it("marks node roles", () => {
    const user = {
      ...roleUser("nodes"),
      username: "system:node:ip-10-0-0-1.ec2.internal",
      groups: ["system:nodes", "system:authenticated"],
    };
    expect(identify(rec(event({ user })))).toMatchObject({
      iam: true,
      node: true,
      principalArn: roleArn("nodes"),
    });
  });
  it("keeps EKS's own identities internal even through an IAM role", () => {
    const user = {
      ...roleUser("AWSWesleyClusterManagerLambda-Add-AddonManagerRole-X"),
      username: "eks:addon-manager",
    };
    expect(identify(rec(event({ user })))).toEqual({ iam: false, kind: "eks-internal" });
  });
  it.each([
    [{ username: "system:serviceaccount:kube-system:coredns", groups: [] }, "service-account"],
    [{ username: "system:anonymous", groups: ["system:unauthenticated"] }, "anonymous"],
    [{ username: "system:kube-scheduler", groups: [] }, "system-component"],
    [{ username: "system:node:ip-1", groups: ["system:nodes"] }, "node-unattributed"],
    [{ username: "oidc:jane", groups: [] }, "other-user"],
  ])("classifies %o as non-IAM %s", (user, kind) => {
    expect(identify(rec(event({ user })))).toEqual({ iam: false, kind });
  });
});

describe("classify", () => {
  it("access policy", () => {
    const c = classify(
      rec(
        event({
          user: iamUser("alice"),
          reason: accessPolicyReason(`arn:aws:iam::${ACCOUNT}:user/alice`, "AmazonEKSViewPolicy"),
        }),
      ),
    )!;
    expect(c.path).toBe("access-policy");
    expect(c.accessPolicy?.policyArn).toMatch(/AmazonEKSViewPolicy$/);
  });
  it("masters: allow, empty reason, system:masters", () => {
    expect(classify(rec(event({ user: roleUser("ci", { groups: ["system:masters"] }) })))!.path).toBe(
      "masters",
    );
  });
  it("node: allow, empty reason, node identity", () => {
    const user = { ...roleUser("nodes"), username: "system:node:ip-1", groups: ["system:nodes"] };
    expect(classify(rec(event({ user })))!.path).toBe("node");
  });
  it("rbac, with its grant and whether it is public", () => {
    const c = classify(rec(event({ reason: rbacReason("dev", "edit", "Group", "developers") })))!;
    expect(c.path).toBe("rbac");
    expect(c.grant?.subject).toBe("developers");
    expect(c.publicGrant).toBe(false);
    expect(
      classify(
        rec(
          event({
            reason: rbacReason("system:discovery", "system:discovery", "Group", "system:authenticated"),
          }),
        ),
      )!.publicGrant,
    ).toBe(true);
  });
  it("denied on forbid, whatever the reason", () => {
    expect(
      classify(
        rec(event({ decision: "forbid", reason: "no relationship found between node 'a' and this object" })),
      )!.path,
    ).toBe("denied");
  });
  it("other: an allow with an unknown reason, or empty for a plain user", () => {
    const c = classify(rec(event({ reason: "Webhook: allowed" })))!;
    expect(c.path).toBe("other");
    expect(c.reason).toBe("Webhook: allowed");
    expect(classify(rec(event({ reason: "" })))!.path).toBe("other");
  });
  it("no decision (RequestReceived) is not classified", () => {
    expect(classify(rec(event({ decision: null, stage: "RequestReceived" })))).toBeUndefined();
  });
});
