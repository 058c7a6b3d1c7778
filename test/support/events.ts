// Builders for audit events in the shapes EKS writes (see ../shared/corpus), for tests.

export const ACCOUNT = "111122223333";

export interface EventSpec {
  auditID?: string;
  stage?: string;
  verb?: string;
  time?: string;
  user?: Record<string, unknown>;
  ref?: Record<string, string> | null;
  uri?: string;
  decision?: string | null;
  reason?: string;
  code?: number;
  userAgent?: string;
}

let counter = 0;

export function event(spec: EventSpec = {}): Record<string, unknown> {
  counter++;
  const ref =
    spec.ref === null
      ? undefined
      : (spec.ref ?? { resource: "pods", namespace: "default", apiVersion: "v1" });
  const annotations =
    spec.decision === null
      ? undefined
      : {
          "authorization.k8s.io/decision": spec.decision ?? "allow",
          "authorization.k8s.io/reason": spec.reason ?? "",
        };
  return {
    kind: "Event",
    apiVersion: "audit.k8s.io/v1",
    level: "Metadata",
    auditID: spec.auditID ?? `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    stage: spec.stage ?? "ResponseComplete",
    requestURI: spec.uri ?? "/api/v1/namespaces/default/pods",
    verb: spec.verb ?? "list",
    user: spec.user ?? roleUser("dev"),
    sourceIPs: ["10.0.0.1"],
    userAgent: spec.userAgent ?? "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46",
    ...(ref ? { objectRef: ref } : {}),
    responseStatus: { metadata: {}, code: spec.code ?? (spec.decision === "forbid" ? 403 : 200) },
    requestReceivedTimestamp: spec.time ?? "2026-11-24T10:00:00.123456Z",
    stageTimestamp: spec.time ?? "2026-11-24T10:00:00.223456Z",
    ...(annotations ? { annotations } : {}),
  };
}

/** An assumed role as aws-iam-authenticator reports it (canonicalArn without path). */
export function roleUser(
  role: string,
  options: { username?: string; groups?: string[]; session?: string } = {},
) {
  const session = options.session ?? "session-1";
  return {
    username: options.username ?? `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    uid: `aws-iam-authenticator:${ACCOUNT}:AROA${role
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "")
      .padEnd(16, "X")
      .slice(0, 16)}`,
    groups: [...(options.groups ?? []), "system:authenticated"],
    extra: {
      accessKeyId: ["ASIAEXAMPLE"],
      arn: [`arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`],
      canonicalArn: [`arn:aws:iam::${ACCOUNT}:role/${role}`],
      principalId: ["AROAEXAMPLE"],
      sessionName: [session],
    },
  };
}

export function iamUser(name: string, groups: string[] = []) {
  const arn = `arn:aws:iam::${ACCOUNT}:user/${name}`;
  return {
    username: arn,
    uid: `aws-iam-authenticator:${ACCOUNT}:AIDA${name.toUpperCase()}`,
    groups: [...groups, "system:authenticated"],
    extra: { arn: [arn], canonicalArn: [arn], principalId: [`AIDA${name.toUpperCase()}`], sessionName: [""] },
  };
}

export const POLICY = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;

export function accessPolicyReason(
  principalArn: string,
  policy: string,
  principalId = "AROAEXAMPLE",
): string {
  return `EKS Access Policy: allowed by ClusterRoleBinding "${principalArn}+${POLICY(policy)}" of ClusterRole "${POLICY(policy)}" to User "${principalId}"`;
}

export function rbacReason(
  binding: string,
  role: string,
  subjectKind: string,
  subject: string,
  roleBinding = false,
): string {
  return `RBAC: allowed by ${roleBinding ? "RoleBinding" : "ClusterRoleBinding"} "${binding}" of ${roleBinding ? "Role" : "ClusterRole"} "${role}" to ${subjectKind} "${subject}"`;
}

export const jsonl = (events: unknown[]) => `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;
