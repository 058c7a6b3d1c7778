// Rows of the `requests` query → the same AuditRecords the file readers produce (groups with a count).

import type { AuditRecord } from "../../model.js";
import { parseTime } from "../../time.js";

/** A GetQueryResults row as field → value (backticks dropped from names). */
export type Row = ReadonlyMap<string, string>;

export function rowOf(fields: readonly { field?: string | undefined; value?: string | undefined }[]): Row {
  const row = new Map<string, string>();
  for (const f of fields)
    if (f.field !== undefined && f.value !== undefined) row.set(f.field.replace(/`/g, ""), f.value);
  return row;
}

/** Is this a row of our own `requests` query (not an event with @message)? */
export function isRequestsRow(row: Row): boolean {
  return row.has("requests") && !row.has("@message");
}

function groupsOf(raw: string | undefined): string[] {
  if (!raw) return [];
  try {
    const list: unknown = JSON.parse(`[${raw}]`);
    return Array.isArray(list) ? list.filter((g): g is string => typeof g === "string") : [];
  } catch {
    return [];
  }
}

/** The reason as parsed from the raw event: still JSON-escaped (`\"`). */
function unescapeJson(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

export type RowRecord =
  | { kind: "record"; record: AuditRecord }
  | { kind: "truncated"; principal: string | undefined; count: number; time: number | undefined };

export function rowToRecord(row: Row): RowRecord {
  const count = Math.max(1, Math.round(Number(row.get("requests") ?? "1")) || 1);
  const first = row.get("first_request");
  const last = row.get("last_request");
  const time = first ? parseTime(first) : undefined;
  const principal = row.get("principal") || undefined;
  if (row.get("truncated") === "1") return { kind: "truncated", principal, count, time };
  const target = row.get("target") ?? "";
  const nonResource = target.startsWith("/");
  return {
    kind: "record",
    record: {
      auditId: undefined,
      stage: "ResponseComplete",
      time,
      lastTime: last ? parseTime(last) : time,
      count,
      verb: row.get("verb") ?? "",
      nonResourcePath: nonResource ? target : undefined,
      apiGroup: row.get("objectRef.apiGroup") ?? "",
      resource: nonResource ? "" : target,
      subresource: row.get("objectRef.subresource") ?? "",
      namespace: row.get("objectRef.namespace") ?? "",
      username: row.get("username") ?? "",
      uid: row.get("user.uid") ?? "",
      groups: groupsOf(row.get("groups")),
      arn: principal?.includes(":sts::") ? principal : undefined,
      canonicalArn: principal && !principal.includes(":sts::") ? principal : undefined,
      sessionName: undefined,
      principalId: undefined,
      userAgent: row.get("userAgent"),
      decision: row.get("decision") || undefined,
      reason: unescapeJson(row.get("reason")),
      code: undefined,
    },
  };
}
