// Would an access entry allow what a principal did through aws-auth?

import type { OperationUsage } from "../aggregate/aggregator.js";
import type { AccessEntry } from "../inventory/model.js";
import { type Operation, policyAllows, rulesOf } from "../policies/access-policies.js";

/** Node access entry types: EKS gives them the node identity and groups itself. */
export const NODE_ENTRY_TYPES: ReadonlySet<string> = new Set([
  "EC2_LINUX",
  "EC2_WINDOWS",
  "FARGATE_LINUX",
  "HYBRID_LINUX",
  "HYPERPOD_LINUX",
  "EC2",
]);

const PUBLIC_NON_RESOURCE = /^\/(api|apis|version|healthz|livez|readyz|openapi|\.well-known)(\/|$)/;
const SELF_REVIEWS = new Set(["selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews"]);

/**
 * Allowed to every authenticated caller by Kubernetes' default roles (system:discovery,
 * system:public-info-viewer, system:basic-user): no access entry needs to grant it.
 */
export function isPublicOperation(op: Operation): boolean {
  if (op.resource === "" && op.nonResourcePath !== undefined)
    return PUBLIC_NON_RESOURCE.test(op.nonResourcePath);
  return op.verb === "create" && SELF_REVIEWS.has(op.resource);
}

/** `{{SessionName}}`-style templates match any rendered value in their place. */
export function usernameMatches(template: string | undefined, username: string): boolean {
  if (!template) return false;
  if (!template.includes("{{")) return template === username;
  const pattern = template
    .split(/\{\{[A-Za-z0-9]+\}\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`).test(username);
}

/** Which grants of an operation the entry reproduces: its policies, its groups, its username, its node type. */
export function entryCovers(entry: AccessEntry, usage: OperationUsage): boolean {
  if (isPublicOperation(usage.op)) return true;
  if (entry.associatedAccessPolicies.some((p) => policyAllows(p.policyArn, p.accessScope, usage.op)))
    return true;
  const groups = entry.kubernetesGroups ?? [];
  return usage.grants.some((g) => {
    if (g.startsWith("Group:")) return groups.includes(g.slice(6));
    if (g.startsWith("User:")) return usernameMatches(entry.username, g.slice(5));
    if (g === "node") return NODE_ENTRY_TYPES.has(entry.type ?? "") || groups.includes("system:nodes");
    return false;
  });
}

/** Associated policies whose permissions are not published: coverage through them is not checked. */
export function unknownPolicies(entry: AccessEntry): string[] {
  return entry.associatedAccessPolicies.filter((p) => !rulesOf(p.policyArn)).map((p) => p.policyArn);
}
