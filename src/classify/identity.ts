// Who made a request: an IAM principal to migrate, or a caller that is not one.

import { canonicalArn, isSsoRole, isUserArn, parseIamArn } from "../arn.js";
import type { AuditRecord, NonIamKind } from "../model.js";

export type Identity =
  | {
      iam: true;
      /** Canonical ARN as the audit log shows it (roles without path); a principal-ID key when no ARN was logged. */
      principalArn: string;
      node: boolean;
    }
  | { iam: false; kind: NonIamKind };

const AUTHENTICATOR_UID = /^(?:aws-iam-authenticator|heptio-authenticator-aws):(\d{12}):(.+)$/;

export function isNodeIdentity(record: Pick<AuditRecord, "username" | "groups">): boolean {
  return record.username.startsWith("system:node:") || record.groups.includes("system:nodes");
}

export function identify(record: AuditRecord): Identity {
  const { username } = record;
  if (username.startsWith("system:serviceaccount:")) return { iam: false, kind: "service-account" };
  if (username === "system:anonymous" || record.groups.includes("system:unauthenticated")) {
    return { iam: false, kind: "anonymous" };
  }
  // EKS maps its own identities itself (not aws-auth), even when they arrive through an IAM role.
  if (username.startsWith("eks:")) return { iam: false, kind: "eks-internal" };
  const node = isNodeIdentity(record);
  const uid = AUTHENTICATOR_UID.exec(record.uid);
  if (uid || record.canonicalArn) {
    const arn =
      (record.canonicalArn && canonicalArn(record.canonicalArn)) ??
      (record.arn && canonicalArn(record.arn)) ??
      (username.startsWith("arn:") ? canonicalArn(username) : undefined);
    if (arn) return { iam: true, principalArn: arn, node };
    if (uid) {
      // Older events can lack extra.*: the uid still names account and principal ID.
      const principalId = record.principalId ?? uid[2]!;
      return { iam: true, principalArn: `aws-iam-authenticator:${uid[1]}:${principalId}`, node };
    }
    if (record.canonicalArn) return { iam: true, principalArn: record.canonicalArn, node };
  }
  if (node) return { iam: false, kind: "node-unattributed" };
  if (username.startsWith("system:")) return { iam: false, kind: "system-component" };
  return { iam: false, kind: "other-user" };
}

/** The CSV's principal_type, from the ARN and whether it was seen or mapped as a node. */
export function principalTypeOf(arn: string, node: boolean): "user" | "role" | "sso-role" | "node-role" {
  if (node) return "node-role";
  if (isSsoRole(arn)) return "sso-role";
  if (isUserArn(arn)) return "user";
  const p = parseIamArn(arn);
  if (!p && /:AIDA[A-Z0-9]+$/.test(arn)) return "user";
  return "role";
}
