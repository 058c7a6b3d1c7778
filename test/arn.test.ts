import { describe, expect, it } from "vitest";
import { canonicalArn, isServiceLinkedRole, isSsoRole, parseIamArn, principalKey } from "../src/arn.js";

describe("arn", () => {
  it("canonicalizes an assumed role to the role ARN without path", () => {
    expect(canonicalArn("arn:aws:sts::111122223333:assumed-role/sso_admin/a@b.com")).toBe(
      "arn:aws:iam::111122223333:role/sso_admin",
    );
    expect(canonicalArn("arn:aws-cn:sts::111122223333:assumed-role/x/y")).toBe(
      "arn:aws-cn:iam::111122223333:role/x",
    );
  });

  it("joins roles on partition + account + name, ignoring path and case", () => {
    const withPath =
      "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_abc";
    const canonical = "arn:aws:iam::111122223333:role/awsreservedsso_admin_ABC";
    expect(principalKey(withPath)).toBe(principalKey(canonical));
    expect(principalKey("arn:aws-us-gov:iam::111122223333:role/x")).not.toBe(
      principalKey("arn:aws:iam::111122223333:role/x"),
    );
  });

  it("joins users on the full ARN, path included", () => {
    expect(principalKey("arn:aws:iam::111122223333:user/ops/alice")).not.toBe(
      principalKey("arn:aws:iam::111122223333:user/alice"),
    );
    expect(principalKey("arn:aws:iam::111122223333:user/ops/Alice")).toBe(
      principalKey("arn:aws:iam::111122223333:user/ops/alice"),
    );
  });

  it("parses paths and names", () => {
    expect(parseIamArn("arn:aws:iam::111122223333:role/teams/platform/admin")).toMatchObject({
      path: "teams/platform",
      name: "admin",
    });
    expect(parseIamArn("arn:aws:iam::111122223333:root")?.kind).toBe("root");
    expect(parseIamArn("not-an-arn")).toBeUndefined();
  });

  it("recognises service-linked and SSO roles", () => {
    expect(
      isServiceLinkedRole(
        "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS",
      ),
    ).toBe(true);
    expect(isServiceLinkedRole("arn:aws:iam::111122223333:role/AWSServiceRoleForFoo")).toBe(true);
    expect(isServiceLinkedRole("arn:aws:iam::111122223333:role/deploy")).toBe(false);
    expect(isSsoRole("arn:aws:iam::111122223333:role/AWSReservedSSO_ReadOnly_1")).toBe(true);
  });
});
