// Small text helpers shared by the human-readable renderers.

import { AUTH_PATH_NAMES, NON_IAM_KIND_NAMES } from "../model.js";
import type { Report } from "./model.js";

export const num = (n: number) => n.toLocaleString("en-US");

export function windowLine(r: Report): string {
  const w = r.window;
  const asked = w.start || w.end ? `${w.start ?? "…"} → ${w.end ?? "…"}` : "all the data given";
  const data = w.firstRequest ? `requests from ${w.firstRequest} to ${w.lastRequest}` : "no requests";
  return `Window: ${asked} (${data})`;
}

export function inputLine(r: Report): string {
  const i = r.input;
  const formats = Object.entries(i.formats)
    .map(([f, n]) => `${n} ${f}`)
    .join(", ");
  return (
    `Input: ${num(i.files)} file(s)${formats ? ` (${formats})` : ""}, ${num(i.records)} records = ` +
    `${num(i.events)} events + ${num(i.truncated)} cut off + ${num(i.malformed)} malformed + ${num(i.nonAudit)} not audit`
  );
}

export function requestsLine(r: Report): string {
  const i = r.input;
  return (
    `Requests: ${num(i.requests)} counted once per auditID ` +
    `(events − ${num(i.duplicateStages)} second stages − ${num(i.noDecision)} without decision − ${num(i.filteredOut)} filtered out)`
  );
}

export function pathsLine(r: Report): string {
  const parts = AUTH_PATH_NAMES.filter((p) => r.requests.byPath[p] > 0).map(
    (p) => `${p} ${num(r.requests.byPath[p])}`,
  );
  return `By path: ${parts.join(" · ") || "none"}`;
}

export function nonIamLine(r: Report): string {
  const parts = NON_IAM_KIND_NAMES.filter((k) => r.requests.nonIam[k] > 0).map(
    (k) => `${k} ${num(r.requests.nonIam[k])}`,
  );
  const nonIam = r.requests.total - r.requests.iam;
  return `IAM principals: ${num(r.requests.iam)} requests · not IAM (not migrated): ${num(nonIam)}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

export function insightsLine(r: Report): string | undefined {
  const i = r.insights;
  if (!i) return undefined;
  const gb = (b: number) => `${(b / 1e9).toFixed(2)} GB`;
  const again = i.bytesRescanned > 0 ? ` (${gb(i.bytesRescanned)} of it again, after splits)` : "";
  return (
    `Logs Insights: ${i.logGroup} · ${num(i.windows)} window(s), ${num(i.queries)} quer${i.queries === 1 ? "y" : "ies"} · ` +
    `${num(i.rows)} rows for ${num(i.recordsMatched)} records matched · ${gb(i.bytesScanned)} scanned${again} · ` +
    `est. $${i.estimatedCostUsd.toFixed(4)} at $${i.pricePerGb}/GB`
  );
}
