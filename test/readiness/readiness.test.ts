import { describe, expect, it } from "vitest";
import { ROUTE_NAMES } from "../../src/model.js";
import {
  ACCOUNT,
  accessPolicyReason,
  event,
  iamUser,
  POLICY,
  rbacReason,
  roleUser,
} from "../support/events.js";
import { configMap, principal, reportOf } from "../support/run.js";

const role = (n: string) => `arn:aws:iam::${ACCOUNT}:role/${n}`;
const entry = (
  principalArn: string,
  createdAt: string,
  policies: { name: string; scope?: unknown }[] = [],
  extra = {},
) => ({
  principalArn,
  type: "STANDARD",
  kubernetesGroups: [],
  createdAt,
  associatedAccessPolicies: policies.map((p) => ({
    policyArn: POLICY(p.name),
    accessScope: p.scope ?? { type: "cluster" },
  })),
  ...extra,
});
const inventory = (entries: unknown[], mode = "API_AND_CONFIG_MAP") => ({
  cluster: { name: "prod", accessConfig: { authenticationMode: mode } },
  accessEntries: entries,
});
const masters = (r: string, spec: Parameters<typeof event>[0] = {}) =>
  event({ user: roleUser(r, { groups: ["system:masters"] }), ...spec });

describe("verdicts with an inventory", () => {
  it("ready: an access entry and only access policies", async () => {
    const r = await reportOf({
      events: [
        event({
          user: iamUser("alice"),
          reason: accessPolicyReason(`arn:aws:iam::${ACCOUNT}:user/alice`, "AmazonEKSViewPolicy"),
        }),
      ],
      inventory: inventory([
        entry(`arn:aws:iam::${ACCOUNT}:user/alice`, "2026-01-01T00:00:00Z", [
          { name: "AmazonEKSViewPolicy" },
        ]),
      ]),
    });
    expect(principal(r, "user/alice")).toMatchObject({
      readiness: "ready",
      accessEntry: "yes",
      principalType: "user",
    });
    expect(r.clusterVerdict.status).toBe("ready");
  });

  it("needs-access-entry: system:masters and no entry; recommends the narrower policy it was seen using", async () => {
    const r = await reportOf({
      events: [masters("deploy-bot", { verb: "list", ref: { resource: "pods", namespace: "shop" } })],
      inventory: inventory([]),
    });
    const p = principal(r, "deploy-bot");
    expect(p).toMatchObject({ readiness: "needs-access-entry", accessEntry: "no" });
    expect(p.routes["aws-auth"]).toBe(1);
    expect(p.commands).toEqual([
      `aws eks create-access-entry --cluster-name prod --principal-arn ${role("deploy-bot")}`,
      `aws eks associate-access-policy --cluster-name prod --principal-arn ${role("deploy-bot")} --policy-arn ${POLICY("AmazonEKSViewPolicy")} --access-scope type=namespace,namespaces=shop`,
    ]);
    expect(p.notes.join(" ")).toMatch(/narrower policy is proposed instead of AmazonEKSClusterAdminPolicy/);
    expect(r.clusterVerdict.status).toBe("not-ready");
  });

  it("needs-access-entry: RBAC through an aws-auth group carries the group over", async () => {
    const r = await reportOf({
      events: [
        event({
          user: roleUser("dev", { groups: ["developers"] }),
          verb: "patch",
          reason: rbacReason("dev/team-a", "edit", "Group", "developers", true),
        }),
      ],
      inventory: inventory([]),
      awsAuth: configMap({
        mapRoles: [{ rolearn: role("dev"), username: "dev:{{SessionName}}", groups: ["developers"] }],
      }),
    });
    const p = principal(r, "role/dev");
    expect(p.readiness).toBe("needs-access-entry");
    expect(p.commands).toEqual([
      `aws eks create-access-entry --cluster-name prod --principal-arn ${role("dev")} --kubernetes-groups developers`,
    ]);
  });

  it("access-entry precedence: RBAC after the entry's createdAt comes from the entry", async () => {
    const r = await reportOf({
      events: [
        event({
          user: roleUser("dev", { groups: ["developers"] }),
          time: "2026-11-20T00:00:00Z",
          reason: rbacReason("d", "edit", "Group", "developers"),
        }),
        event({
          user: roleUser("dev", { groups: ["developers"] }),
          time: "2026-11-26T00:00:00Z",
          reason: rbacReason("d", "edit", "Group", "developers"),
        }),
      ],
      inventory: inventory([
        entry(role("dev"), "2026-11-25T00:00:00Z", [], { kubernetesGroups: ["developers"] }),
      ]),
    });
    const p = principal(r, "role/dev");
    expect(p.routes).toMatchObject({ "aws-auth": 1, "access-entry-groups": 1 });
    expect(p.readiness).toBe("ready");
  });

  it("at-risk: what it did through aws-auth is not covered by the entry's policies, and it is denied since", async () => {
    const r = await reportOf({
      events: [
        masters("ci", {
          time: "2026-11-20T00:00:00Z",
          verb: "patch",
          ref: { resource: "deployments", apiGroup: "apps", namespace: "shop" },
        }),
        event({
          user: roleUser("ci"),
          time: "2026-11-26T00:00:00Z",
          verb: "patch",
          ref: { resource: "deployments", apiGroup: "apps", namespace: "shop" },
          decision: "forbid",
        }),
      ],
      inventory: inventory([entry(role("ci"), "2026-11-25T00:00:00Z", [{ name: "AmazonEKSViewPolicy" }])]),
    });
    const p = principal(r, "role/ci");
    expect(p.readiness).toBe("at-risk");
    expect(p.why).toMatch(/not covered.*denied 1 time/);
    expect(p.commands).toEqual([
      `aws eks associate-access-policy --cluster-name prod --principal-arn ${role("ci")} --policy-arn ${POLICY("AmazonEKSEditPolicy")} --access-scope type=namespace,namespaces=shop`,
    ]);
  });

  it("ready: masters before the entry, and the entry's policy covers it", async () => {
    const r = await reportOf({
      events: [masters("ci", { time: "2026-11-20T00:00:00Z" })],
      inventory: inventory([
        entry(role("ci"), "2026-11-25T00:00:00Z", [{ name: "AmazonEKSClusterAdminPolicy" }]),
      ]),
    });
    expect(principal(r, "role/ci").readiness).toBe("ready");
  });

  it("joins an entry written with a role path to the path-less canonical ARN, case-insensitively", async () => {
    const sso = "AWSReservedSSO_Admin_0123";
    const r = await reportOf({
      events: [masters(sso, { time: "2026-11-26T00:00:00Z" })],
      inventory: inventory([
        entry(
          `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${sso.toLowerCase()}`,
          "2026-11-01T00:00:00Z",
          [{ name: "AmazonEKSClusterAdminPolicy" }],
        ),
      ]),
    });
    const p = principal(r, sso);
    expect(p).toMatchObject({ accessEntry: "yes", principalType: "sso-role" });
    expect(p.notes.join(" ")).toMatch(/masters proves no entry then/);
  });

  it("blocked: a service-linked role, a system: group mapping, a role path mapping, mapAccounts", async () => {
    const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS`;
    const r = await reportOf({
      events: [
        event({ user: roleUser("AWSServiceRoleForAmazonEKS"), reason: rbacReason("x", "y", "User", "z") }),
        event({
          user: roleUser("monitor", { groups: ["system:monitoring"] }),
          reason: rbacReason("m", "m", "Group", "system:monitoring"),
        }),
      ],
      inventory: inventory([]),
      awsAuth: configMap({
        mapRoles: [
          { rolearn: slr, groups: ["x"] },
          { rolearn: role("monitor"), groups: ["system:monitoring"] },
          { rolearn: `arn:aws:iam::${ACCOUNT}:role/teams/platform`, groups: ["system:masters"] },
        ],
        mapAccounts: ["444455556666"],
      }),
    });
    expect(principal(r, "role/AWSServiceRoleForAmazonEKS").readiness).toBe("blocked");
    expect(principal(r, "role/monitor").readiness).toBe("blocked");
    const path = principal(r, "role/teams/platform");
    expect(path).toMatchObject({ readiness: "blocked", requests: 0 });
    expect(path.why).toMatch(/never matches/);
    expect(principal(r, "444455556666")).toMatchObject({ readiness: "blocked", principalType: "account" });
  });

  it("dormant: mapped, never seen", async () => {
    const r = await reportOf({
      events: [],
      inventory: inventory([]),
      awsAuth: configMap({
        mapUsers: [
          { userarn: `arn:aws:iam::${ACCOUNT}:user/old`, username: "old", groups: ["system:masters"] },
        ],
      }),
    });
    expect(principal(r, "user/old")).toMatchObject({ readiness: "dormant", requests: 0, accessEntry: "no" });
  });

  it("a node role through aws-auth gets a node entry", async () => {
    const user = {
      ...roleUser("nodes"),
      username: "system:node:ip-1",
      groups: ["system:bootstrappers", "system:nodes", "system:authenticated"],
    };
    const r = await reportOf({ events: [event({ user })], inventory: inventory([]) });
    const p = principal(r, "role/nodes");
    expect(p).toMatchObject({ readiness: "needs-access-entry", principalType: "node-role" });
    expect(p.commands).toEqual([
      `aws eks create-access-entry --cluster-name prod --principal-arn ${role("nodes")} --type EC2_LINUX`,
    ]);
  });
});

describe("verdicts from the log alone (no inventory)", () => {
  it("undetermined: RBAC without an inventory", async () => {
    const r = await reportOf({
      events: [event({ user: roleUser("dev"), reason: rbacReason("d", "edit", "Group", "developers") })],
    });
    expect(principal(r, "role/dev")).toMatchObject({ readiness: "undetermined", accessEntry: "unknown" });
    expect(principal(r, "role/dev").routes.unresolved).toBe(1);
    expect(r.clusterVerdict.status).toBe("unknown");
  });
  it("needs-access-entry when the latest allowed request came through masters", async () => {
    const r = await reportOf({
      events: [
        event({
          user: roleUser("x"),
          time: "2026-11-20T00:00:00Z",
          reason: accessPolicyReason(role("x"), "AmazonEKSViewPolicy"),
        }),
        masters("x", { time: "2026-11-21T00:00:00Z" }),
      ],
    });
    expect(principal(r, "role/x").readiness).toBe("needs-access-entry");
  });
  it("ready when access policies came after masters, noting coverage was not checked", async () => {
    const r = await reportOf({
      events: [
        masters("x", { time: "2026-11-20T00:00:00Z" }),
        event({
          user: roleUser("x"),
          time: "2026-11-21T00:00:00Z",
          reason: accessPolicyReason(role("x"), "AmazonEKSViewPolicy"),
        }),
      ],
    });
    const p = principal(r, "role/x");
    expect(p.readiness).toBe("ready");
    expect(p.notes.join(" ")).toMatch(/not checked/);
  });
});

describe("counts", () => {
  it("via_* + unresolved + denied + other_allowed = requests, per principal", async () => {
    const u = roleUser("mix", { groups: ["developers"] });
    const r = await reportOf({
      events: [
        event({ user: u, reason: accessPolicyReason(role("mix"), "AmazonEKSViewPolicy") }),
        event({ user: u, reason: rbacReason("d", "edit", "Group", "developers") }),
        event({
          user: u,
          uri: "/apis",
          ref: null,
          reason: rbacReason("system:discovery", "system:discovery", "Group", "system:authenticated"),
        }),
        event({ user: u, decision: "forbid" }),
        event({ user: u, reason: "Webhook: allowed" }),
      ],
    });
    const p = principal(r, "role/mix");
    expect(p.requests).toBe(5);
    expect(ROUTE_NAMES.reduce((n, k) => n + p.routes[k], 0)).toBe(5);
    expect(p.routes).toEqual({
      "access-policy": 1,
      "aws-auth": 0,
      "access-entry-groups": 0,
      unresolved: 1,
      denied: 1,
      "other-allowed": 2,
    });
  });
});
