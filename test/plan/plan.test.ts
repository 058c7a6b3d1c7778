import { parse as hcl2json } from "@cdktf/hcl2json";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { type MigrationPlan, runPlan, runReport } from "../../src/index.js";
import { buildPlan } from "../../src/plan/plan.js";
import { renderAws, renderEksctl, renderTerraform } from "../../src/plan/render.js";

const DEMO = {
  inputs: ["fixtures/demo/audit"],
  inventory: "fixtures/demo/inventory.json",
  awsAuth: "fixtures/demo/aws-auth.yaml",
  now: new Date("2026-12-01T00:00:00Z"),
};
let plan: MigrationPlan;
beforeAll(async () => {
  plan = await runPlan({ ...DEMO, region: "eu-west-1" });
});

describe("plan on the demo cluster", () => {
  it("orders the steps: nodes first, then the other entries, fixes, blockers, checks, removals, the switch, the ConfigMap", () => {
    expect(plan.steps.map((s) => `${s.kind} ${s.principal?.split(/[:/]/).pop() ?? ""}`.trim())).toEqual([
      "create-entry demo-node-role",
      "create-entry deploy-bot",
      "create-entry dev-team",
      "amend-entry ci-runner",
      "resolve-blocker 444455556666",
      "resolve-blocker platform-admin",
      "investigate AIDALEGACYDEPLOYER01",
      "remove-mapping old-admin",
      "switch-mode",
      "delete-aws-auth",
    ]);
    expect(plan.verdict.status).toBe("not-ready");
  });

  it("aws: runnable entry commands; judgement calls and the switch stay commented", () => {
    const text = renderAws(plan);
    expect(text.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    const live = text.split("\n").filter((l) => l.startsWith("aws "));
    expect(live).toContain(
      "aws eks create-access-entry --cluster-name demo --principal-arn arn:aws:iam::111122223333:role/demo-node-role --type EC2_LINUX",
    );
    expect(live).toContain(
      "aws eks create-access-entry --cluster-name demo --principal-arn arn:aws:iam::111122223333:role/dev-team --kubernetes-groups developers",
    );
    expect(live.some((l) => l.includes("authenticationMode=API"))).toBe(false);
    expect(text).toContain(
      "# aws eks update-cluster-config --region eu-west-1 --name demo --access-config authenticationMode=API",
    );
    expect(text).toMatch(/narrower policy is proposed instead of AmazonEKSClusterAdminPolicy/);
  });

  it("terraform: parses as HCL, one entry per principal to create, associations with scopes", async () => {
    const json = await hcl2json("plan.tf", renderTerraform(plan));
    const entries = json.resource.aws_eks_access_entry;
    expect(Object.keys(entries)).toEqual(["demo_node_role", "deploy_bot", "dev_team"]);
    expect(entries.demo_node_role[0]).toMatchObject({
      cluster_name: "demo",
      type: "EC2_LINUX",
      principal_arn: "arn:aws:iam::111122223333:role/demo-node-role",
    });
    expect(entries.dev_team[0].kubernetes_groups).toEqual(["developers"]);
    const assoc = json.resource.aws_eks_access_policy_association;
    expect(assoc.deploy_bot_view[0]).toMatchObject({
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
      access_scope: [{ type: "namespace", namespaces: ["shop"] }],
    });
    expect(assoc.ci_runner_edit[0].principal_arn).toBe("arn:aws:iam::111122223333:role/ci-runner");
  });

  it("eksctl: a ClusterConfig that parses, with the entries to create", () => {
    const doc = parseYaml(renderEksctl(plan)) as {
      kind: string;
      metadata: { name: string; region: string };
      accessConfig: { accessEntries: { principalARN: string; type?: string; accessPolicies?: unknown[] }[] };
    };
    expect(doc.kind).toBe("ClusterConfig");
    expect(doc.metadata).toEqual({ name: "demo", region: "eu-west-1" });
    expect(doc.accessConfig.accessEntries.map((e) => e.principalARN.split("/").pop())).toEqual([
      "demo-node-role",
      "deploy-bot",
      "dev-team",
    ]);
    expect(doc.accessConfig.accessEntries[1]!.accessPolicies).toEqual([
      {
        policyARN: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
        accessScope: { type: "namespace", namespaces: ["shop"] },
      },
    ]);
  });

  it("a CONFIG_MAP cluster first turns access entries on; SSO roles look their ARN up", async () => {
    const report = await runReport(DEMO);
    report.cluster.authenticationMode = "CONFIG_MAP";
    const sso = report.principals.find((p) => p.readiness === "needs-access-entry")!;
    sso.entryPlan = {
      ...sso.entryPlan!,
      principalArn: "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_1",
      lookupRoleName: "AWSReservedSSO_Admin_1",
    };
    const p = buildPlan(report);
    expect(p.steps[0]).toMatchObject({
      kind: "enable-access-entries",
      commands: [
        "aws eks update-cluster-config --name demo --access-config authenticationMode=API_AND_CONFIG_MAP",
      ],
    });
    expect(renderAws(p)).toContain(
      '--principal-arn "$(aws iam get-role --role-name AWSReservedSSO_Admin_1 --query Role.Arn --output text)"',
    );
    const json = await hcl2json("sso.tf", renderTerraform(p));
    expect(json.data.aws_iam_role).toBeDefined();
  });
});
