// The `authorization.k8s.io/reason` annotation, as the RBAC and EKS authorizers format it (Go `%q`).

export const ACCESS_POLICY_PREFIX = "EKS Access Policy:";
export const RBAC_PREFIX = "RBAC:";

export interface Grant {
  bindingKind: "ClusterRoleBinding" | "RoleBinding";
  /** Binding name; a RoleBinding's is `<name>/<namespace>`. */
  binding: string;
  roleKind: string;
  role: string;
  subjectKind: "User" | "Group" | "ServiceAccount";
  subject: string;
}

const Q = `"((?:[^"\\\\]|\\\\.)*)"`;
const GRANT_RE = new RegExp(
  `allowed by (ClusterRoleBinding|RoleBinding) ${Q} of (ClusterRole|Role) ${Q} to (User|Group|ServiceAccount) ${Q}`,
);

function unquote(s: string): string {
  return s.replace(/\\(.)/g, "$1");
}

/** Parses `allowed by <Binding> "<name>" of <Role> "<role>" to <Kind> "<subject>"`; undefined if not in that form. */
export function parseGrant(reason: string): Grant | undefined {
  const m = GRANT_RE.exec(reason);
  if (!m) return undefined;
  return {
    bindingKind: m[1] as Grant["bindingKind"],
    binding: unquote(m[2]!),
    roleKind: m[3]!,
    role: unquote(m[4]!),
    subjectKind: m[5] as Grant["subjectKind"],
    subject: unquote(m[6]!),
  };
}

export interface AccessPolicyGrant {
  policyArn: string;
  scope: "cluster" | "namespace";
  /** The access entry's principal ARN as it was entered (may carry a role path). */
  entryPrincipalArn: string | undefined;
  /** Namespace of a namespace-scoped association, when the binding name carries it. */
  namespace: string | undefined;
}

/**
 * `EKS Access Policy: allowed by ClusterRoleBinding "<principalArn>+<policyArn>" of ClusterRole "<policyArn>"
 * to User "<principalId>"`; namespace-scoped associations may say RoleBinding (format unconfirmed, so
 * both the binding name and the role name are read defensively).
 */
export function parseAccessPolicyReason(reason: string): AccessPolicyGrant {
  const grant = parseGrant(reason);
  if (!grant) {
    const arn = /arn:[a-z0-9-]+:eks::aws:cluster-access-policy\/[A-Za-z0-9]+/.exec(reason)?.[0];
    return {
      policyArn: arn ?? "unknown",
      scope: "cluster",
      entryPrincipalArn: undefined,
      namespace: undefined,
    };
  }
  const plus = grant.binding.indexOf("+arn:");
  const entryPrincipalArn = plus > 0 ? grant.binding.slice(0, plus) : undefined;
  let namespace: string | undefined;
  if (grant.bindingKind === "RoleBinding") {
    const policyPart = plus > 0 ? grant.binding.slice(plus + 1) : grant.binding;
    const m = /cluster-access-policy\/[A-Za-z0-9]+\/(.+)$/.exec(policyPart);
    namespace = m?.[1];
  }
  const policyArn = /cluster-access-policy\/[A-Za-z0-9]+/.test(grant.role)
    ? grant.role.replace(/^(.*cluster-access-policy\/[A-Za-z0-9]+).*$/, "$1")
    : grant.role;
  return {
    policyArn,
    scope: grant.bindingKind === "RoleBinding" ? "namespace" : "cluster",
    entryPrincipalArn,
    namespace,
  };
}

export function policyName(policyArn: string): string {
  const slash = policyArn.lastIndexOf("/");
  return slash < 0 ? policyArn : policyArn.slice(slash + 1);
}
