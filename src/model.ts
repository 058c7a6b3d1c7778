// The domain's categories, each declared once: types, counters, sort orders and docs derive from these.

/** How the API server authorized one request, read from its audit annotations. */
export const AUTH_PATHS = {
  "access-policy": "an EKS access policy allowed it (reason starts `EKS Access Policy:`)",
  masters:
    "allowed with an empty reason for a `system:masters` member: only aws-auth or the implicit creator grant that",
  rbac: "an RBAC binding allowed it (reason starts `RBAC:`); the group came from aws-auth or an access entry",
  node: "the Node authorizer allowed a node identity (empty reason)",
  denied: "the decision was `forbid`",
  other: "anything else; the reason text is kept",
} as const;
export type AuthPath = keyof typeof AUTH_PATHS;
export const AUTH_PATH_NAMES = Object.keys(AUTH_PATHS) as AuthPath[];

/** Where a principal's access came from once joined with the inventory: the CSV's `via_*` family. */
export const ROUTES = {
  "access-policy": "via_access_policy: an access policy of its access entry",
  "aws-auth": "via_aws_auth: masters, or RBAC/Node access for groups an aws-auth mapping gave",
  "access-entry-groups": "via_access_entry_groups: RBAC/Node access for groups an access entry gave",
  unresolved: "unresolved: RBAC/Node access whose source needs the inventory to tell",
  denied: "denied: the API server refused it",
  "other-allowed": "other_allowed: allowed to every authenticated identity, or by an unrecognised authorizer",
} as const;
export type Route = keyof typeof ROUTES;
export const ROUTE_NAMES = Object.keys(ROUTES) as Route[];

/** Readiness verdicts, in report order: principals still relying on aws-auth come first. */
export const VERDICTS = {
  "needs-access-entry": "used aws-auth (masters, or RBAC/Node resolved to aws-auth) and has no access entry",
  "at-risk":
    "has an access entry, but what it did through aws-auth is not covered by the entry, or it is being denied since it moved",
  blocked:
    "cannot be expressed as an access entry: service-linked role, mapAccounts, a `system:` group other than masters/node groups, or an aws-auth rolearn with a path (never matches)",
  undetermined: "used RBAC or another authorizer, but no inventory was given to tell the source",
  dormant: "mapped in aws-auth, no request in the window: candidate for removal",
  ready:
    "has an access entry (or only ever used access policies) and nothing in the window depended on aws-auth after the entry existed",
} as const;
export type Verdict = keyof typeof VERDICTS;
export const VERDICT_NAMES = Object.keys(VERDICTS) as Verdict[];

/** Verdicts that keep a cluster from switching to authentication mode `API`. */
export const BLOCKING_VERDICTS: readonly Verdict[] = ["needs-access-entry", "at-risk", "blocked"];

export const PRINCIPAL_TYPES = {
  user: "an IAM user",
  role: "an IAM role",
  "sso-role": "an IAM Identity Center role (`AWSReservedSSO_…`)",
  "node-role": "a role seen as a node, or mapped/entered as one",
  account: "a `mapAccounts` entry: every principal of that account",
} as const;
export type PrincipalType = keyof typeof PRINCIPAL_TYPES;

/** Callers that are not IAM principals to migrate: counted in the summary only. */
export const NON_IAM_KINDS = {
  "service-account": "Kubernetes service accounts",
  "eks-internal": "EKS's own identities (`eks:*`), mapped by EKS itself",
  "system-component": "control-plane components (`system:*` users)",
  "node-unattributed": "node identities with no IAM role in the event",
  anonymous: "unauthenticated requests (`system:anonymous`)",
  "other-user": "other users (certificates, OIDC, webhook tokens)",
} as const;
export type NonIamKind = keyof typeof NON_IAM_KINDS;
export const NON_IAM_KIND_NAMES = Object.keys(NON_IAM_KINDS) as NonIamKind[];

export const AUTHENTICATION_MODES = ["API", "API_AND_CONFIG_MAP", "CONFIG_MAP"] as const;
export type AuthenticationMode = (typeof AUTHENTICATION_MODES)[number];

/** Zeroed counters keyed by a category list. */
export function counters<K extends string>(names: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const name of names) out[name] = 0;
  return out;
}

/**
 * One request, or (from an aggregating Logs Insights query) a group of identical requests.
 * Sources produce these; classification and aggregation read nothing else.
 */
export interface AuditRecord {
  auditId: string | undefined;
  stage: string | undefined;
  /** Request time (epoch ms); for a group, the earliest. */
  time: number | undefined;
  /** For a group, the latest request time. */
  lastTime: number | undefined;
  count: number;
  verb: string;
  /** Path of a non-resource request (`/api`, `/healthz`), without the query string. */
  nonResourcePath: string | undefined;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  username: string;
  uid: string;
  groups: readonly string[];
  arn: string | undefined;
  canonicalArn: string | undefined;
  sessionName: string | undefined;
  principalId: string | undefined;
  userAgent: string | undefined;
  decision: string | undefined;
  reason: string | undefined;
  code: number | undefined;
}

/** A request whose event was cut off by CloudWatch Logs: authorization unknown. */
export interface TruncatedEvent {
  /** Canonical principal ARN when the surviving prefix names one. */
  principalArn: string | undefined;
  time: number | undefined;
}
