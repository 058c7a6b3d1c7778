// The renderer registry: one pure function per format.

import { renderCsv } from "./csv.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import type { Report } from "./model.js";
import { safeJson } from "./sanitize.js";
import { renderTable } from "./table.js";

export const REPORT_FORMATS = ["table", "csv", "json", "markdown"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  color: boolean;
}

export const renderers: Record<ReportFormat, (report: Report, options: RenderOptions) => string> = {
  table: (r, o) => renderTable(r, o),
  csv: (r) => renderCsv(r),
  json: (r) => renderJson(r),
  markdown: (r) => renderMarkdown(r),
};

export function render(report: Report, format: ReportFormat, options: RenderOptions): string {
  return renderers[format](report, options);
}

/**
 * Several clusters' reports in one output: CSV rows under one header (the cluster column tells them
 * apart), a JSON array, or the human-readable forms one after another. One report renders as itself.
 */
export function renderReports(
  reports: readonly Report[],
  format: ReportFormat,
  options: RenderOptions,
): string {
  if (reports.length === 1) return render(reports[0]!, format, options);
  if (format === "json") return `${safeJson(reports, 2)}\n`;
  const parts = reports.map((r) => render(r, format, options));
  if (format === "csv") return parts.map((p, i) => (i === 0 ? p : p.slice(p.indexOf("\r\n") + 2))).join("");
  return parts.join("\n");
}
