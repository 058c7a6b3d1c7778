// CSV: one row per cluster × IAM principal, plus one per aws-auth mapping never seen (DESIGN.md contract).

import { stringify } from "csv-stringify/sync";
import type { PrincipalReport, Report } from "./model.js";
import { csvCell } from "./sanitize.js";

/** The contract's columns, in order; extra columns come after them. */
export const CSV_COLUMNS = [
  "cluster",
  "principal_arn",
  "principal_type",
  "requests",
  "via_access_policy",
  "via_aws_auth",
  "via_access_entry_groups",
  "unresolved",
  "denied",
  "first_seen",
  "last_seen",
  "access_policies",
  "usernames",
  "user_agents",
  "access_entry",
  "readiness",
  "recommendation",
  "other_allowed",
  "truncated",
  "why",
  "commands",
  "aws_auth_mapping",
  "notes",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

const list = (items: readonly string[]) => items.join("; ");

export function csvRow(p: PrincipalReport): Record<CsvColumn, string | number> {
  const m = p.mapping;
  return {
    cluster: p.cluster,
    principal_arn: p.principalArn,
    principal_type: p.principalType,
    requests: p.requests,
    via_access_policy: p.routes["access-policy"],
    via_aws_auth: p.routes["aws-auth"],
    via_access_entry_groups: p.routes["access-entry-groups"],
    unresolved: p.routes.unresolved,
    denied: p.routes.denied,
    first_seen: p.firstSeen,
    last_seen: p.lastSeen,
    access_policies: list(p.accessPolicies),
    usernames: list(p.usernames),
    user_agents: list(p.userAgents),
    access_entry: p.accessEntry,
    readiness: p.readiness,
    recommendation: p.recommendation,
    other_allowed: p.routes["other-allowed"],
    truncated: p.truncated,
    why: p.why,
    commands: p.commands.join(" && "),
    aws_auth_mapping: m
      ? `${m.source} ${m.arn}${m.groups.length ? ` groups=${m.groups.join(",")}` : ""}`
      : "",
    notes: list(p.notes),
  };
}

export function renderCsv(report: Report): string {
  const rows = report.principals.map((p) => {
    const row = csvRow(p);
    return CSV_COLUMNS.map((c) => {
      const v = row[c];
      return typeof v === "number" ? String(v) : csvCell(v);
    });
  });
  return stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: "\r\n" });
}
