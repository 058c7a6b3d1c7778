import { describe, expect, it } from "vitest";
import {
  leastPrivilege,
  type Operation,
  policyAllows,
  policyArnOf,
} from "../../src/policies/access-policies.js";

const op = (verb: string, resource: string, namespace = "", apiGroup = ""): Operation => ({
  verb,
  apiGroup,
  resource,
  namespace,
  nonResourcePath: undefined,
});

describe("access policy permission tables", () => {
  it("View reads pods but not secrets; Edit writes deployments; Admin manages RoleBindings", () => {
    const cluster = { type: "cluster" as const };
    expect(policyAllows(policyArnOf("AmazonEKSViewPolicy"), cluster, op("list", "pods", "a"))).toBe(true);
    expect(policyAllows(policyArnOf("AmazonEKSViewPolicy"), cluster, op("get", "secrets", "a"))).toBe(false);
    expect(
      policyAllows(policyArnOf("AmazonEKSEditPolicy"), cluster, op("patch", "deployments", "a", "apps")),
    ).toBe(true);
    expect(
      policyAllows(
        policyArnOf("AmazonEKSEditPolicy"),
        cluster,
        op("create", "rolebindings", "a", "rbac.authorization.k8s.io"),
      ),
    ).toBe(false);
    expect(
      policyAllows(
        policyArnOf("AmazonEKSAdminPolicy"),
        cluster,
        op("create", "rolebindings", "a", "rbac.authorization.k8s.io"),
      ),
    ).toBe(true);
    expect(policyAllows(policyArnOf("AmazonEKSAdminViewPolicy"), cluster, op("get", "nodes"))).toBe(true);
    expect(
      policyAllows(policyArnOf("AmazonEKSClusterAdminPolicy"), cluster, {
        ...op("get", ""),
        nonResourcePath: "/metrics",
      }),
    ).toBe(true);
  });
  it("subresources are matched as resource/subresource", () => {
    expect(
      policyAllows(policyArnOf("AmazonEKSViewPolicy"), { type: "cluster" }, op("get", "pods/log", "a")),
    ).toBe(true);
    expect(
      policyAllows(policyArnOf("AmazonEKSViewPolicy"), { type: "cluster" }, op("create", "pods/exec", "a")),
    ).toBe(false);
  });
  it("namespace scope covers only namespaced requests inside it (wildcards too)", () => {
    const scope = { type: "namespace" as const, namespaces: ["team-a", "dev-*"] };
    const view = policyArnOf("AmazonEKSViewPolicy");
    expect(policyAllows(view, scope, op("list", "pods", "team-a"))).toBe(true);
    expect(policyAllows(view, scope, op("list", "pods", "dev-42"))).toBe(true);
    expect(policyAllows(view, scope, op("list", "pods", "team-b"))).toBe(false);
    expect(policyAllows(view, scope, op("list", "namespaces"))).toBe(false);
  });
  it("partition does not matter for the rules", () => {
    expect(
      policyAllows(
        policyArnOf("AmazonEKSViewPolicy", "aws-cn"),
        { type: "cluster" },
        op("list", "pods", "a"),
      ),
    ).toBe(true);
  });
  it("unknown policies cover nothing", () => {
    expect(
      policyAllows(policyArnOf("AmazonEKSAutoNodePolicy"), { type: "cluster" }, op("get", "pods", "a")),
    ).toBe(false);
  });
});

describe("least privilege", () => {
  it("picks View in the namespaces seen for reads", () => {
    expect(leastPrivilege([op("list", "pods", "shop"), op("get", "deployments", "shop", "apps")])).toEqual({
      policies: ["AmazonEKSViewPolicy"],
      scope: { type: "namespace", namespaces: ["shop"] },
    });
  });
  it("reads of cluster-scoped resources need cluster scope", () => {
    expect(leastPrivilege([op("list", "namespaces")])).toEqual({
      policies: ["AmazonEKSViewPolicy"],
      scope: { type: "cluster" },
    });
  });
  it("secrets reads add the Secret reader, writes need Edit, RBAC writes need Admin", () => {
    expect(leastPrivilege([op("list", "pods", "a"), op("get", "secrets", "a")])?.policies).toEqual([
      "AmazonEKSViewPolicy",
      "AmazonEKSSecretReaderPolicy",
    ]);
    expect(leastPrivilege([op("patch", "deployments", "a", "apps")])?.policies).toEqual([
      "AmazonEKSEditPolicy",
    ]);
    expect(leastPrivilege([op("create", "roles", "a", "rbac.authorization.k8s.io")])?.policies).toEqual([
      "AmazonEKSAdminPolicy",
    ]);
  });
  it("anything else falls back to cluster admin", () => {
    expect(leastPrivilege([op("create", "clusterroles", "", "rbac.authorization.k8s.io")])).toEqual({
      policies: ["AmazonEKSClusterAdminPolicy"],
      scope: { type: "cluster" },
    });
  });
  it("proposes namespace scope only for a few namespaces", () => {
    const many = ["a", "b", "c", "d", "e", "f"].map((ns) => op("list", "pods", ns));
    expect(leastPrivilege(many)?.scope).toEqual({ type: "cluster" });
  });
});
