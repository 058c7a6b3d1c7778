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

const NONE: readonly string[] = Object.freeze([]);

function stringList(v: unknown): readonly string[] {
  if (!Array.isArray(v)) return NONE;
  for (const g of v) if (typeof g !== "string") return v.filter((x): x is string => typeof x === "string");
  return v as string[];
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

// Top-level members the record needs: if any is missing once the bodies are cut out, parse it all.
const ESSENTIAL = [
  "apiVersion",
  "auditID",
  "stage",
  "verb",
  "user",
  "annotations",
  "requestReceivedTimestamp",
  "responseStatus",
  "objectRef",
  "userAgent",
];
const BODY_START = [',"requestObject":', ',"responseObject":'];
const BODY_END = ',"requestReceivedTimestamp":';

/**
 * Parses one event's JSON text, skipping the request/response bodies (often most of the bytes and
 * never needed). `,"requestObject":` cannot occur inside a JSON string (its quote would be escaped),
 * so the cut starts at a real member; the result is used only when every needed member survived,
 * otherwise the whole text is parsed. Throws like JSON.parse on invalid JSON.
 */
export function parseEventText(text: string): unknown {
  let start = text.indexOf(BODY_START[0]!);
  const response = text.indexOf(BODY_START[1]!);
  if (start < 0 || (response >= 0 && response < start)) start = response;
  if (start > 0) {
    const end = text.lastIndexOf(BODY_END);
    if (end > start) {
      let value: unknown;
      try {
        value = JSON.parse(text.slice(0, start) + text.slice(end));
      } catch {
        value = undefined;
      }
      const e = obj(value);
      if (e && ESSENTIAL.every((k) => k in e)) return value;
    }
  }
  return JSON.parse(text);
}
