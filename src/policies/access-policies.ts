// The EKS access policies' Kubernetes permissions, as data (reference/eks-access-policy-permissions.md,
// docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html), and the coverage check.

export interface PolicyRule {
  apiGroups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
  nonResourceURLs?: readonly string[];
}

const WRITE = ["create", "delete", "deletecollection", "patch", "update"] as const;
const READ = ["get", "list", "watch"] as const;
const rule = (apiGroups: string[], resources: string, verbs: readonly string[]): PolicyRule => ({
  apiGroups,
  resources: resources.split(/,\s*/),
  verbs,
});

// Shared by View, Edit and Admin (the Kubernetes view/edit/admin aggregation).
const VIEW_RULES: PolicyRule[] = [
  rule(
    ["apps"],
    "controllerrevisions, daemonsets, daemonsets/status, deployments, deployments/scale, deployments/status, replicasets, replicasets/scale, replicasets/status, statefulsets, statefulsets/scale, statefulsets/status",
    READ,
  ),
  rule(["autoscaling"], "horizontalpodautoscalers, horizontalpodautoscalers/status", READ),
  rule(["batch"], "cronjobs, cronjobs/status, jobs, jobs/status", READ),
  rule(["discovery.k8s.io"], "endpointslices", READ),
  rule(
    ["extensions"],
    "daemonsets, daemonsets/status, deployments, deployments/scale, deployments/status, ingresses, ingresses/status, networkpolicies, replicasets, replicasets/scale, replicasets/status, replicationcontrollers/scale",
    READ,
  ),
  rule(["networking.k8s.io"], "ingresses, ingresses/status, networkpolicies", READ),
  rule(["policy"], "poddisruptionbudgets, poddisruptionbudgets/status", READ),
  rule(
    [""],
    "configmaps, endpoints, persistentvolumeclaims, persistentvolumeclaims/status, pods, replicationcontrollers, replicationcontrollers/scale, serviceaccounts, services, services/status",
    READ,
  ),
  rule(
    [""],
    "bindings, events, limitranges, namespaces/status, pods/log, pods/status, replicationcontrollers/status, resourcequotas, resourcequotas/status",
    READ,
  ),
  rule([""], "namespaces", READ),
];

const EDIT_RULES: PolicyRule[] = [
  ...VIEW_RULES,
  rule(
    ["apps"],
    "daemonsets, deployments, deployments/rollback, deployments/scale, replicasets, replicasets/scale, statefulsets, statefulsets/scale",
    WRITE,
  ),
  rule(["autoscaling"], "horizontalpodautoscalers", WRITE),
  rule(["batch"], "cronjobs, jobs", WRITE),
  rule(
    ["extensions"],
    "daemonsets, deployments, deployments/rollback, deployments/scale, ingresses, networkpolicies, replicasets, replicasets/scale, replicationcontrollers/scale",
    WRITE,
  ),
  rule(["networking.k8s.io"], "ingresses, networkpolicies", WRITE),
  rule(["policy"], "poddisruptionbudgets", WRITE),
  rule([""], "pods/attach, pods/exec, pods/portforward, pods/proxy, secrets, services/proxy", READ),
  rule([""], "serviceaccounts", ["impersonate"]),
  rule([""], "pods, pods/attach, pods/exec, pods/portforward, pods/proxy", WRITE),
  rule(
    [""],
    "configmaps, events, persistentvolumeclaims, replicationcontrollers, replicationcontrollers/scale, secrets, serviceaccounts, services, services/proxy",
    WRITE,
  ),
];

const ADMIN_RULES: PolicyRule[] = [
  ...EDIT_RULES,
  rule(["authorization.k8s.io"], "localsubjectaccessreviews", ["create"]),
  rule(["rbac.authorization.k8s.io"], "rolebindings, roles", [
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
  ]),
];

/** Policies a recommendation may name, least privileged first; `rules` transcribe the published tables. */
export const ACCESS_POLICIES = {
  AmazonEKSViewPolicy: { rules: VIEW_RULES, summary: "read most resources, not Secrets" },
  AmazonEKSSecretReaderPolicy: { rules: [rule([""], "secrets", READ)], summary: "read Secrets" },
  AmazonEKSAdminViewPolicy: { rules: [rule(["*"], "*", READ)], summary: "read everything, Secrets included" },
  AmazonEKSEditPolicy: { rules: EDIT_RULES, summary: "edit most namespaced resources" },
  AmazonEKSAdminPolicy: { rules: ADMIN_RULES, summary: "edit most resources, Roles and RoleBindings too" },
  AmazonEKSClusterAdminPolicy: {
    rules: [
      { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
      { apiGroups: [], resources: [], verbs: ["*"], nonResourceURLs: ["*"] },
    ],
    summary: "everything (cluster-admin)",
  },
  AmazonEKSHybridPolicy: { rules: [rule(["*"], "nodes", ["list"])], summary: "list nodes (hybrid nodes)" },
} as const satisfies Record<string, { rules: readonly PolicyRule[]; summary: string }>;
export type AccessPolicyName = keyof typeof ACCESS_POLICIES;

export function policyArnOf(name: string, partition = "aws"): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${name}`;
}

/** A (verb, apiGroup, resource/subresource, namespace) tuple observed in the log. */
export interface Operation {
  verb: string;
  apiGroup: string;
  /** `resource` or `resource/subresource`; empty for non-resource requests. */
  resource: string;
  namespace: string;
  nonResourcePath: string | undefined;
}

export interface Scope {
  type: "cluster" | "namespace";
  namespaces?: readonly string[];
}

const has = (list: readonly string[], v: string) => list.includes("*") || list.includes(v);

function ruleAllows(r: PolicyRule, op: Operation): boolean {
  if (!has(r.verbs, op.verb)) return false;
  if (op.nonResourcePath !== undefined && op.resource === "") {
    return (r.nonResourceURLs ?? []).some(
      (u) =>
        u === "*" ||
        u === op.nonResourcePath ||
        (u.endsWith("*") && op.nonResourcePath!.startsWith(u.slice(0, -1))),
    );
  }
  return has(r.apiGroups, op.apiGroup) && has(r.resources, op.resource);
}

function namespaceMatches(pattern: string, ns: string): boolean {
  return pattern.endsWith("*") ? ns.startsWith(pattern.slice(0, -1)) : pattern === ns;
}

/** Rules of a known policy name (from its ARN); undefined for policies without a published table. */
export function rulesOf(policyArn: string): readonly PolicyRule[] | undefined {
  const name = policyArn.slice(policyArn.lastIndexOf("/") + 1);
  return (ACCESS_POLICIES as Record<string, { rules: readonly PolicyRule[] }>)[name]?.rules;
}

/** Does this policy, associated with this scope, allow the operation? Namespace scope covers only namespaced requests inside it. */
export function policyAllows(policyArn: string, scope: Scope, op: Operation): boolean {
  const rules = rulesOf(policyArn);
  if (!rules) return false;
  if (scope.type === "namespace") {
    if (!op.namespace) return false;
    if (!(scope.namespaces ?? []).some((p) => namespaceMatches(p, op.namespace))) return false;
  }
  return rules.some((r) => ruleAllows(r, op));
}

/** Policy bundles a recommendation tries, least privileged first. */
const LADDER: readonly (readonly AccessPolicyName[])[] = [
  ["AmazonEKSViewPolicy"],
  ["AmazonEKSSecretReaderPolicy"],
  ["AmazonEKSViewPolicy", "AmazonEKSSecretReaderPolicy"],
  ["AmazonEKSAdminViewPolicy"],
  ["AmazonEKSEditPolicy"],
  ["AmazonEKSEditPolicy", "AmazonEKSAdminViewPolicy"],
  ["AmazonEKSAdminPolicy"],
  ["AmazonEKSAdminPolicy", "AmazonEKSAdminViewPolicy"],
  ["AmazonEKSClusterAdminPolicy"],
];

/** Namespace scope is proposed only for a handful of namespaces: more is a cluster-wide role in practice. */
export const MAX_SCOPED_NAMESPACES = 5;

export interface PolicyChoice {
  policies: AccessPolicyName[];
  scope: Scope;
}

/** The least-privileged policy bundle and scope that allow every operation; none when there is nothing to cover. */
export function leastPrivilege(ops: readonly Operation[]): PolicyChoice | undefined {
  if (ops.length === 0) return undefined;
  const namespaces = [...new Set(ops.map((o) => o.namespace))].sort();
  const allNamespaced = ops.every((o) => o.namespace !== "");
  const scopes: Scope[] = [];
  if (allNamespaced && namespaces.length <= MAX_SCOPED_NAMESPACES)
    scopes.push({ type: "namespace", namespaces });
  scopes.push({ type: "cluster" });
  for (const bundle of LADDER) {
    for (const scope of scopes) {
      const covers = ops.every((op) => bundle.some((name) => policyAllows(policyArnOf(name), scope, op)));
      if (covers) return { policies: [...bundle], scope };
    }
  }
  return { policies: ["AmazonEKSClusterAdminPolicy"], scope: { type: "cluster" } };
}
