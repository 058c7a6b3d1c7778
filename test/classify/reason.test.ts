import { describe, expect, it } from "vitest";
import { parseAccessPolicyReason, parseGrant } from "../../src/classify/reason.js";

describe("reason", () => {
  it("reads the EKS access policy reason (cluster scope)", () => {
    const r = parseAccessPolicyReason(
      'EKS Access Policy: allowed by ClusterRoleBinding "arn:aws:iam::211125685544:role/sso_admin+arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" of ClusterRole "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" to User "AROATCKASJUUBCXRRKSFT"',
    );
    expect(r).toEqual({
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      scope: "cluster",
      entryPrincipalArn: "arn:aws:iam::211125685544:role/sso_admin",
      namespace: undefined,
    });
  });

  it("reads a namespace-scoped (RoleBinding) access policy reason", () => {
    const r = parseAccessPolicyReason(
      'EKS Access Policy: allowed by RoleBinding "arn:aws:iam::1:role/x+arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy/team-a" of ClusterRole "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy" to User "AROA1"',
    );
    expect(r.scope).toBe("namespace");
    expect(r.namespace).toBe("team-a");
    expect(r.policyArn).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
  });

  it("keeps the policy ARN even from an unexpected access-policy form", () => {
    const r = parseAccessPolicyReason(
      "EKS Access Policy: allowed by arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
    );
    expect(r.policyArn).toBe("arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSEditPolicy");
  });

  it("reads every RBAC subject kind, with Go-escaped quotes", () => {
    expect(
      parseGrant(
        'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
      ),
    ).toMatchObject({
      bindingKind: "ClusterRoleBinding",
      subjectKind: "Group",
      subject: "system:masters",
    });
    expect(
      parseGrant('RBAC: allowed by RoleBinding "dev/team-a" of Role "edit" to User "dev:carol"'),
    ).toMatchObject({
      bindingKind: "RoleBinding",
      binding: "dev/team-a",
      roleKind: "Role",
      subjectKind: "User",
      subject: "dev:carol",
    });
    expect(
      parseGrant(
        'RBAC: allowed by ClusterRoleBinding "a\\"b" of ClusterRole "c" to ServiceAccount "coredns/kube-system"',
      ),
    ).toMatchObject({
      binding: 'a"b',
      subjectKind: "ServiceAccount",
      subject: "coredns/kube-system",
    });
  });

  it("returns nothing for a reason not in the binding form", () => {
    expect(parseGrant("RBAC: allowed by ClusterRoleBinding system:public-info-viewer")).toBeUndefined();
  });
});
