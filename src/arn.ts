// IAM ARNs as the authenticator, aws-auth and access entries write them, and how they join.

export interface IamArn {
  partition: string;
  account: string;
  /** `role`, `user`, `assumed-role`, `federated-user`, `root`. */
  kind: string;
  /** IAM path between the kind and the name, without leading or trailing slash; "" when none. */
  path: string;
  name: string;
  /** For an assumed role: the session name. */
  session: string | undefined;
}

const ARN_RE = /^arn:([a-z0-9-]+):(iam|sts)::(\d{12}):(.+)$/;

export function parseIamArn(arn: string): IamArn | undefined {
  const m = ARN_RE.exec(arn.trim());
  if (!m) return undefined;
  const [, partition, service, account, resource] = m as unknown as [string, string, string, string, string];
  if (resource === "root")
    return { partition, account, kind: "root", path: "", name: "root", session: undefined };
  const slash = resource.indexOf("/");
  if (slash < 0) return undefined;
  const kind = resource.slice(0, slash);
  const rest = resource.slice(slash + 1);
  if (service === "sts" && kind === "assumed-role") {
    // assumed-role/<role>/<session>: STS ARNs carry no IAM path
    const last = rest.lastIndexOf("/");
    if (last <= 0) return undefined;
    return { partition, account, kind, path: "", name: rest.slice(0, last), session: rest.slice(last + 1) };
  }
  if (service === "sts" && kind === "federated-user") {
    return { partition, account, kind, path: "", name: rest, session: undefined };
  }
  if (service !== "iam" || (kind !== "role" && kind !== "user")) return undefined;
  const last = rest.lastIndexOf("/");
  const path = last < 0 ? "" : rest.slice(0, last);
  const name = last < 0 ? rest : rest.slice(last + 1);
  if (!name) return undefined;
  return { partition, account, kind, path, name, session: undefined };
}

/** What the authenticator's `canonicalArn` would be: assumed roles become the role ARN, without path. */
export function canonicalArn(arn: string): string | undefined {
  const p = parseIamArn(arn);
  if (!p) return undefined;
  if (p.kind === "assumed-role") return `arn:${p.partition}:iam::${p.account}:role/${p.name}`;
  return arn.trim();
}

/**
 * The key two ARNs of one principal share: roles join on partition + account + name (role names are
 * unique per account, and the audit log drops the role path); users on the full ARN. Case-insensitive.
 */
export function principalKey(arn: string): string {
  let key = keys.get(arn);
  if (key === undefined) {
    if (keys.size >= 10_000) keys.clear();
    key = computeKey(arn);
    keys.set(arn, key);
  }
  return key;
}

// Joins run per request: remember each ARN's key.
const keys = new Map<string, string>();

function computeKey(arn: string): string {
  const p = parseIamArn(arn);
  if (!p) return arn.trim().toLowerCase();
  if (p.kind === "role" || p.kind === "assumed-role")
    return `${p.partition}:${p.account}:role/${p.name}`.toLowerCase();
  if (p.kind === "user")
    return `${p.partition}:${p.account}:user/${p.path ? `${p.path}/` : ""}${p.name}`.toLowerCase();
  return arn.trim().toLowerCase();
}

export function isServiceLinkedRole(arn: string): boolean {
  const p = parseIamArn(arn);
  if (!p) return false;
  return (
    (p.kind === "role" || p.kind === "assumed-role") &&
    (p.name.startsWith("AWSServiceRoleFor") || p.path.split("/").includes("aws-service-role"))
  );
}

export function isSsoRole(arn: string): boolean {
  const p = parseIamArn(arn);
  return !!p && (p.kind === "role" || p.kind === "assumed-role") && p.name.startsWith("AWSReservedSSO_");
}

export function isUserArn(arn: string): boolean {
  return parseIamArn(arn)?.kind === "user";
}

/** Strict shape for ARNs placed in generated shell commands (log text is untrusted). */
const SAFE_ARN_RE = /^arn:[a-z0-9-]+:iam::\d{12}:(role|user)\/[A-Za-z0-9+=,.@_/-]+$/;
export function isSafeArn(arn: string): boolean {
  return SAFE_ARN_RE.test(arn);
}

export function partitionOf(arn: string): string {
  return parseIamArn(arn)?.partition ?? "aws";
}
