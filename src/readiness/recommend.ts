// What to do for a principal, as data (an EntryPlan) — the `aws eks` commands, Terraform and eksctl are
// renderings of it.

import type { OperationUsage } from "../aggregate/aggregator.js";
import { isSafeArn, parseIamArn, partitionOf } from "../arn.js";
import type { MappingView } from "../inventory/inventory.js";
import { NODE_GROUPS } from "../inventory/inventory.js";
import type { AccessEntry } from "../inventory/model.js";
import { leastPrivilege, type PolicyChoice, policyArnOf, type Scope } from "../policies/access-policies.js";
import { isPublicOperation } from "./coverage.js";

const RESERVED_USERNAME = /^(system:|eks:|aws:|amazon:|iam:)/;
const SAFE_WORD = /^[A-Za-z0-9_.:/@=+,-]+$/;

/** Quotes a value for a POSIX shell unless it is plainly safe. */
export function shellQuote(value: string): string {
  return SAFE_WORD.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function scopeArg(scope: Scope): string {
  return scope.type === "cluster"
    ? "type=cluster"
    : `type=namespace,namespaces=${(scope.namespaces ?? []).join(",")}`;
}

export function describeChoice(choice: PolicyChoice): string {
  const where =
    choice.scope.type === "cluster"
      ? "cluster scope"
      : `namespaces ${(choice.scope.namespaces ?? []).join(", ")}`;
  return `${choice.policies.join(" + ")} (${where})`;
}

/** An access entry to create, or to amend, for one principal. */
export interface EntryPlan {
  action: "create" | "amend";
  cluster: string | undefined;
  /** The principal ARN for the entry (with its role path when known). */
  principalArn: string;
  /** An SSO role whose path the log does not show: its full ARN must be looked up by this name. */
  lookupRoleName?: string;
  /** EC2_LINUX / EC2_WINDOWS / FARGATE_LINUX; absent for STANDARD. */
  type?: string;
  /** For create: the groups; for amend: the entry's full new group list (absent when unchanged). */
  kubernetesGroups?: string[];
  username?: string;
  policies: { policyArn: string; scope: Scope }[];
}

export interface Plan {
  recommendation: string;
  entry?: EntryPlan;
  notes: string[];
}

export interface PlanInput {
  cluster: string | undefined;
  principalArn: string;
  /** The entry's principal ARN as entered, when known (carries the role path). */
  entryArn: string | undefined;
  node: boolean;
  mapping: MappingView | undefined;
  /** Operations to cover: allowed through aws-auth (or of unknown source) and not public. */
  operations: OperationUsage[];
  existing: AccessEntry | undefined;
}

function nodeEntryType(p: PlanInput): string {
  const groups = p.mapping?.groups ?? [];
  if (groups.includes("system:node-proxier")) return "FARGATE_LINUX";
  if (groups.includes("eks:kube-proxy-windows")) return "EC2_WINDOWS";
  return "EC2_LINUX";
}

export function planFor(p: PlanInput): Plan {
  const notes: string[] = [];
  const arn = p.entryArn ?? p.principalArn;
  if (!isSafeArn(arn)) {
    return {
      recommendation: "create an access entry by hand: the ARN in the log has unexpected characters",
      notes,
    };
  }
  const parsed = parseIamArn(arn);
  const lookup =
    !p.entryArn && parsed?.kind === "role" && parsed.name.startsWith("AWSReservedSSO_")
      ? parsed.name
      : undefined;
  if (lookup)
    notes.push("SSO roles sit under an IAM path the audit log drops: the full role ARN is looked up by name");
  const base = { cluster: p.cluster, principalArn: arn, ...(lookup ? { lookupRoleName: lookup } : {}) };
  const ops = p.operations.filter((o) => !isPublicOperation(o.op));

  if (p.node) {
    const type = nodeEntryType(p);
    if (p.existing) {
      return {
        recommendation: `its access entry (type ${p.existing.type ?? "?"}) should be a node entry (${type})`,
        notes,
      };
    }
    return {
      recommendation: `create an access entry of type ${type} (EKS gives it the node identity and groups)`,
      entry: { action: "create", ...base, type, policies: [] },
      notes,
    };
  }

  // What RBAC bindings gave through aws-auth groups or the mapped username is carried over as is.
  const mappingGroups = (p.mapping?.groups ?? []).filter(
    (g) => !g.startsWith("system:") && !NODE_GROUPS.has(g),
  );
  const seenGroups = new Set<string>();
  let boundUser: string | undefined;
  const policyOps: OperationUsage[] = [];
  for (const o of ops) {
    const group = o.grants.find((g) => g.startsWith("Group:") && !g.startsWith("Group:system:"));
    const user = o.grants.find((g) => g.startsWith("User:"));
    if (group) seenGroups.add(group.slice(6));
    else if (user) boundUser = user.slice(5);
    else policyOps.push(o);
  }
  const groups = [...new Set([...mappingGroups, ...seenGroups])].sort();
  const existingGroups = p.existing?.kubernetesGroups ?? [];
  const missingGroups = groups.filter((g) => !existingGroups.includes(g));
  const choice = leastPrivilege(policyOps.map((o) => o.op));
  const parts: string[] = [];

  let username: string | undefined;
  if (boundUser !== undefined) {
    if (RESERVED_USERNAME.test(boundUser)) {
      notes.push(
        `RBAC binds User "${boundUser}", a name access entries cannot use: rebind those permissions to a group`,
      );
    } else if (!p.existing) {
      username = p.mapping?.username ?? boundUser;
      parts.push(`keep username ${username} (RBAC binds it)`);
    }
  }
  const partition = partitionOf(p.principalArn);
  const policies = (choice?.policies ?? []).map((name) => ({
    policyArn: policyArnOf(name, partition),
    scope: choice!.scope,
  }));
  if (choice) {
    parts.push(`associate ${describeChoice(choice)}`);
    const masters = policyOps.some((o) => o.grants.includes("masters"));
    if (masters && !choice.policies.includes("AmazonEKSClusterAdminPolicy")) {
      notes.push(
        `it had system:masters, but was seen only doing what ${choice.policies.join(" + ")} allows: the narrower policy is proposed instead of AmazonEKSClusterAdminPolicy`,
      );
    }
  }

  if (!p.existing) {
    parts.unshift("create an access entry");
    if (groups.length) parts.push(`carry over kubernetesGroups ${groups.join(", ")}`);
    if (!choice && groups.length === 0)
      parts.push("no policy needed: it only used what every authenticated identity may");
    return {
      recommendation: parts.join("; "),
      entry: {
        action: "create",
        ...base,
        ...(groups.length ? { kubernetesGroups: groups } : {}),
        ...(username ? { username } : {}),
        policies,
      },
      notes,
    };
  }
  if (missingGroups.length) parts.unshift(`add kubernetesGroups ${missingGroups.join(", ")}`);
  if (!missingGroups.length && !policies.length) return { recommendation: "nothing to change", notes };
  return {
    recommendation: parts.join("; "),
    entry: {
      action: "amend",
      ...base,
      ...(missingGroups.length
        ? { kubernetesGroups: [...new Set([...existingGroups, ...missingGroups])] }
        : {}),
      policies,
    },
    notes,
  };
}

/** The `aws eks` commands for an EntryPlan. */
export function awsCommands(e: EntryPlan): string[] {
  const cluster = e.cluster ? shellQuote(e.cluster) : `"$CLUSTER"`;
  const principal = e.lookupRoleName
    ? `"$(aws iam get-role --role-name ${e.lookupRoleName} --query Role.Arn --output text)"`
    : e.principalArn;
  const head = `--cluster-name ${cluster} --principal-arn ${principal}`;
  const out: string[] = [];
  const groups = e.kubernetesGroups?.length
    ? ` --kubernetes-groups ${e.kubernetesGroups.map(shellQuote).join(" ")}`
    : "";
  if (e.action === "create") {
    out.push(
      `aws eks create-access-entry ${head}${e.type ? ` --type ${e.type}` : ""}${groups}${e.username ? ` --username ${shellQuote(e.username)}` : ""}`,
    );
  } else if (groups) {
    out.push(`aws eks update-access-entry ${head}${groups}`);
  }
  for (const p of e.policies) {
    out.push(
      `aws eks associate-access-policy ${head} --policy-arn ${p.policyArn} --access-scope ${scopeArg(p.scope)}`,
    );
  }
  return out;
}
