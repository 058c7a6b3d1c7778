// One `audit.k8s.io/v1` Event (already parsed JSON) → AuditRecord. Tolerant of missing fields.

import type { AuditRecord } from "../model.js";
import { parseTime } from "../time.js";

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** `extra` values are one-element arrays; some exports flatten them to strings. */
function extraValue(extra: Json | undefined, key: string): string | undefined {
  if (!extra) return undefined;
  const v = extra[key];
  if (Array.isArray(v)) return str(v[0]);
  return str(v);
}

function stringList(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.filter((g): g is string => typeof g === "string");
}

export function isAuditEvent(e: Json): boolean {
  const apiVersion = e.apiVersion;
  if (typeof apiVersion === "string") return apiVersion.startsWith("audit.k8s.io/");
  // Some exporters drop apiVersion; a stage plus a user still says "audit event".
  return typeof e.stage === "string" && obj(e.user) !== undefined;
}

/**
 * Maps a parsed event. `fallbackTime` is the container's own timestamp (S3 export prefix, `@timestamp`),
 * used only when the event carries none. Returns undefined when it is not an audit event.
 */
export function eventToRecord(value: unknown, fallbackTime?: number): AuditRecord | undefined {
  const e = obj(value);
  if (!e || !isAuditEvent(e)) return undefined;
  const user = obj(e.user) ?? {};
  const extra = obj(user.extra);
  const ref = obj(e.objectRef);
  const annotations = obj(e.annotations);
  const status = obj(e.responseStatus);
  const received = str(e.requestReceivedTimestamp) ?? str(e.stageTimestamp);
  const time = (received !== undefined ? parseTime(received) : undefined) ?? fallbackTime;
  let nonResourcePath: string | undefined;
  if (!ref) {
    const uri = str(e.requestURI);
    if (uri !== undefined) {
      const q = uri.indexOf("?");
      nonResourcePath = q < 0 ? uri : uri.slice(0, q);
    }
  }
  const code = status?.code;
  return {
    auditId: str(e.auditID),
    stage: str(e.stage),
    time,
    lastTime: undefined,
    count: 1,
    verb: str(e.verb) ?? "",
    nonResourcePath,
    apiGroup: str(ref?.apiGroup) ?? "",
    resource: str(ref?.resource) ?? "",
    subresource: str(ref?.subresource) ?? "",
    namespace: str(ref?.namespace) ?? "",
    username: str(user.username) ?? "",
    uid: str(user.uid) ?? "",
    groups: stringList(user.groups),
    arn: extraValue(extra, "arn"),
    canonicalArn: extraValue(extra, "canonicalArn"),
    sessionName: extraValue(extra, "sessionName"),
    principalId:
      extraValue(extra, "principalId") ?? extraValue(extra, "sigs.k8s.io/aws-iam-authenticator/principalId"),
    userAgent: str(e.userAgent),
    decision: str(annotations?.["authorization.k8s.io/decision"]),
    reason: str(annotations?.["authorization.k8s.io/reason"]),
    code:
      typeof code === "number" ? code : typeof code === "string" && code !== "" ? Number(code) : undefined,
  };
}

const CANONICAL_IN_PREFIX = /"canonicalArn"\s*:\s*\[\s*"([^"\\]{1,2048})"/;
const ARN_IN_PREFIX = /"arn"\s*:\s*\[\s*"(arn:[^"\\]{1,2048})"/;
const TIME_IN_PREFIX = /"requestReceivedTimestamp"\s*:\s*"([^"\\]{1,64})"/;

/** What survives of a cut-off event: the principal when its prefix names one, and the time. */
export function truncatedPrefixFacts(prefix: string): { arn: string | undefined; time: number | undefined } {
  const canonical = CANONICAL_IN_PREFIX.exec(prefix)?.[1] ?? ARN_IN_PREFIX.exec(prefix)?.[1];
  const t = TIME_IN_PREFIX.exec(prefix)?.[1];
  return { arn: canonical, time: t !== undefined ? parseTime(t) : undefined };
}
