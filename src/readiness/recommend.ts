// Concrete next steps: the `aws eks` commands that give a principal an access entry covering what it did.

import type { OperationUsage } from "../aggregate/aggregator.js";
import { isSafeArn, parseIamArn, partitionOf } from "../arn.js";
import type { MappingView } from "../inventory/inventory.js";
import { NODE_GROUPS } from "../inventory/inventory.js";
import type { AccessEntry } from "../inventory/model.js";
import {
  type AccessPolicyName,
  leastPrivilege,
  type PolicyChoice,
  policyArnOf,
  type Scope,
} from "../policies/access-policies.js";
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

export interface Plan {
  recommendation: string;
  commands: string[];
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

/** The --principal-arn argument: SSO roles always live under a path the audit log drops, so look it up. */
function principalArg(p: PlanInput): string | undefined {
  const arn = p.entryArn ?? p.principalArn;
  if (!isSafeArn(arn)) return undefined;
  const parsed = parseIamArn(arn);
  if (!p.entryArn && parsed?.kind === "role" && parsed.name.startsWith("AWSReservedSSO_")) {
    return `"$(aws iam get-role --role-name ${parsed.name} --query Role.Arn --output text)"`;
  }
  return arn;
}

export function planFor(p: PlanInput): Plan {
  const notes: string[] = [];
  const principal = principalArg(p);
  const cluster = p.cluster ? shellQuote(p.cluster) : `"$CLUSTER"`;
  if (!principal) {
    return {
      recommendation: "create an access entry by hand: the ARN in the log has unexpected characters",
      commands: [],
      notes,
    };
  }
  const head = `--cluster-name ${cluster} --principal-arn ${principal}`;
  const ops = p.operations.filter((o) => !isPublicOperation(o.op));

  if (p.node) {
    const type = nodeEntryType(p);
    if (p.existing) {
      return {
        recommendation: `its access entry (type ${p.existing.type ?? "?"}) should be a node entry (${type})`,
        commands: [],
        notes,
      };
    }
    return {
      recommendation: `create an access entry of type ${type} (EKS gives it the node identity and groups)`,
      commands: [`aws eks create-access-entry ${head} --type ${type}`],
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
  const commands: string[] = [];
  const parts: string[] = [];

  let usernameArg = "";
  const mappedUsername = p.mapping?.username;
  if (boundUser !== undefined) {
    if (RESERVED_USERNAME.test(boundUser)) {
      notes.push(
        `RBAC binds User "${boundUser}", a name access entries cannot use: rebind those permissions to a group`,
      );
    } else if (!p.existing) {
      usernameArg = ` --username ${shellQuote(mappedUsername ?? boundUser)}`;
      parts.push(`keep username ${mappedUsername ?? boundUser} (RBAC binds it)`);
    }
  }

  if (!p.existing) {
    const groupArg = groups.length ? ` --kubernetes-groups ${groups.map(shellQuote).join(" ")}` : "";
    commands.push(`aws eks create-access-entry ${head}${groupArg}${usernameArg}`);
    parts.unshift("create an access entry");
    if (groups.length) parts.push(`carry over kubernetesGroups ${groups.join(", ")}`);
  } else if (missingGroups.length) {
    const all = [...new Set([...existingGroups, ...missingGroups])];
    commands.push(`aws eks update-access-entry ${head} --kubernetes-groups ${all.map(shellQuote).join(" ")}`);
    parts.push(`add kubernetesGroups ${missingGroups.join(", ")}`);
  }

  if (choice) {
    const partition = partitionOf(p.principalArn);
    for (const name of choice.policies) {
      commands.push(
        `aws eks associate-access-policy ${head} --policy-arn ${policyArnOf(name, partition)} --access-scope ${scopeArg(choice.scope)}`,
      );
    }
    parts.push(`associate ${describeChoice(choice)}`);
    const masters = policyOps.some((o) => o.grants.includes("masters"));
    if (masters && !choice.policies.includes("AmazonEKSClusterAdminPolicy" as AccessPolicyName)) {
      notes.push(
        `it had system:masters, but was seen only doing what ${choice.policies.join(" + ")} allows: the narrower policy is proposed instead of AmazonEKSClusterAdminPolicy`,
      );
    }
  }
  if (!p.existing && !choice && groups.length === 0) {
    parts.push("no policy needed: it only used what every authenticated identity may");
  }
  if (principal.startsWith('"$('))
    notes.push("SSO roles sit under an IAM path: the command looks up the full role ARN");
  return {
    recommendation: parts.length ? parts.join("; ") : "nothing to change",
    commands,
    notes,
  };
}
