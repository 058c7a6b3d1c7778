// Plan renderers: pure functions of the plan. aws (a shell script), Terraform (HCL), eksctl (YAML).

import { stringify as yaml } from "yaml";
import type { EntryPlan } from "../readiness/recommend.js";
import { awsCommands } from "../readiness/recommend.js";
import { printable } from "../report/sanitize.js";
import { type MigrationPlan, STEP_KINDS } from "./plan.js";

export const PLAN_FORMATS = ["aws", "terraform", "eksctl"] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

function header(plan: MigrationPlan, comment: string): string[] {
  const v = plan.verdict;
  return [
    `${comment} Migration plan for cluster ${plan.cluster} (authentication mode ${plan.mode ?? "unknown"}), by eks-access-audit`,
    `${comment} Cluster verdict: ${v.status} — ${v.summary}`,
    ...v.reasons.map((r) => `${comment}   - ${printable(r)}`),
  ];
}

const comment = (prefix: string, text: string) => `${prefix} ${printable(text)}`;

export function renderAws(plan: MigrationPlan): string {
  const out = ["#!/usr/bin/env bash", ...header(plan, "#"), "set -euo pipefail", ""];
  plan.steps.forEach((s, i) => {
    out.push(
      `# ${i + 1}. ${STEP_KINDS[s.kind]}${s.principal ? `: ${printable(s.principal)}` : ""}`,
      comment("#   why:", s.why),
    );
    for (const n of s.notes ?? []) out.push(comment("#   note:", n));
    const commands = s.entry ? awsCommands(s.entry) : (s.commands ?? []);
    const run = s.kind === "create-entry" || s.kind === "amend-entry" || s.kind === "enable-access-entries";
    // Steps that need a person's judgement, or come last, are written out but left commented.
    for (const c of commands) out.push(run ? c : `# ${c}`);
    out.push("");
  });
  return `${out.join("\n").trimEnd()}\n`;
}

function hcl(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
}

function hclList(values: readonly string[]): string {
  return `[${values.map(hcl).join(", ")}]`;
}

function resourceName(arn: string, used: Set<string>): string {
  const base = (arn.slice(arn.lastIndexOf("/") + 1) || "principal")
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .replace(/^(\d)/, "p_$1");
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
  used.add(name);
  return name;
}

function terraformEntry(e: EntryPlan, used: Set<string>): string[] {
  const name = resourceName(e.principalArn, used);
  const out: string[] = [];
  const cluster = hcl(e.cluster ?? "CLUSTER");
  let principal = hcl(e.principalArn);
  if (e.lookupRoleName) {
    out.push(`data "aws_iam_role" "${name}" {`, `  name = ${hcl(e.lookupRoleName)}`, "}", "");
    principal = `data.aws_iam_role.${name}.arn`;
  }
  const managed = e.action === "create" || e.kubernetesGroups !== undefined;
  if (e.action === "amend" && managed) {
    out.push(
      "# The entry exists: import it, then apply the new groups.",
      "import {",
      `  to = aws_eks_access_entry.${name}`,
      `  id = ${hcl(`${e.cluster ?? "CLUSTER"}:${e.principalArn}`)}`,
      "}",
      "",
    );
  }
  if (managed) {
    out.push(
      `resource "aws_eks_access_entry" "${name}" {`,
      `  cluster_name  = ${cluster}`,
      `  principal_arn = ${principal}`,
    );
    if (e.type) out.push(`  type          = ${hcl(e.type)}`);
    if (e.kubernetesGroups?.length) out.push(`  kubernetes_groups = ${hclList(e.kubernetesGroups)}`);
    if (e.username) out.push(`  user_name     = ${hcl(e.username)}`);
    out.push("}", "");
  }
  for (const p of e.policies) {
    const policy = p.policyArn
      .slice(p.policyArn.lastIndexOf("/") + 1)
      .replace(/^AmazonEKS/, "")
      .replace(/Policy$/, "")
      .toLowerCase();
    out.push(
      `resource "aws_eks_access_policy_association" "${name}_${policy}" {`,
      `  cluster_name  = ${cluster}`,
      `  principal_arn = ${managed ? `aws_eks_access_entry.${name}.principal_arn` : principal}`,
      `  policy_arn    = ${hcl(p.policyArn)}`,
      "  access_scope {",
      `    type = ${hcl(p.scope.type)}`,
      ...(p.scope.type === "namespace" ? [`    namespaces = ${hclList(p.scope.namespaces ?? [])}`] : []),
      "  }",
      "}",
      "",
    );
  }
  return out;
}

export function renderTerraform(plan: MigrationPlan): string {
  const out = [...header(plan, "#"), ""];
  const used = new Set<string>();
  for (const s of plan.steps) {
    out.push(
      `# ${STEP_KINDS[s.kind]}${s.principal ? `: ${printable(s.principal)}` : ""}`,
      comment("#   why:", s.why),
    );
    for (const n of s.notes ?? []) out.push(comment("#   note:", n));
    if (s.entry) out.push(...terraformEntry(s.entry, used));
    else if (s.kind === "switch-mode")
      out.push('#   on the aws_eks_cluster resource: access_config { authentication_mode = "API" }', "");
    else {
      for (const c of s.commands ?? []) out.push(`#   ${c}`);
      out.push("");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

export function renderEksctl(plan: MigrationPlan): string {
  const entries = plan.steps
    .filter((s) => s.kind === "create-entry" && s.entry)
    .map((s) => {
      const e = s.entry!;
      return {
        principalARN: e.principalArn,
        ...(e.type ? { type: e.type } : {}),
        ...(e.kubernetesGroups?.length ? { kubernetesGroups: e.kubernetesGroups } : {}),
        ...(e.username ? { username: e.username } : {}),
        ...(e.policies.length
          ? {
              accessPolicies: e.policies.map((p) => ({
                policyARN: p.policyArn,
                accessScope: {
                  type: p.scope.type,
                  ...(p.scope.type === "namespace" ? { namespaces: [...(p.scope.namespaces ?? [])] } : {}),
                },
              })),
            }
          : {}),
      };
    });
  const config = {
    apiVersion: "eksctl.io/v1alpha5",
    kind: "ClusterConfig",
    metadata: { name: plan.cluster, ...(plan.region ? { region: plan.region } : {}) },
    accessConfig: {
      authenticationMode:
        plan.mode === "CONFIG_MAP" ? "API_AND_CONFIG_MAP" : (plan.mode ?? "API_AND_CONFIG_MAP"),
      accessEntries: entries,
    },
  };
  const notes = [
    ...header(plan, "#"),
    "# Apply with: eksctl create accessentry -f this-file.yaml",
    ...plan.steps
      .filter((s) => s.kind !== "create-entry")
      .flatMap((s) => [
        `# ${STEP_KINDS[s.kind]}${s.principal ? `: ${printable(s.principal)}` : ""} — ${printable(s.why)}`,
        ...(s.entry ? awsCommands(s.entry) : (s.commands ?? [])).map((c) => `#   ${c}`),
      ]),
    ...plan.steps
      .filter((s) => s.entry?.lookupRoleName)
      .map(
        (s) =>
          `# ${s.entry!.principalArn}: use the role's full ARN (aws iam get-role --role-name ${s.entry!.lookupRoleName} --query Role.Arn)`,
      ),
  ];
  return `${notes.join("\n")}\n${yaml(config)}`;
}

export function renderPlan(plan: MigrationPlan, format: PlanFormat): string {
  return format === "aws"
    ? renderAws(plan)
    : format === "terraform"
      ? renderTerraform(plan)
      : renderEksctl(plan);
}
