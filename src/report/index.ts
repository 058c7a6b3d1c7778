// The renderer registry: one pure function per format.

import { renderCsv } from "./csv.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import type { Report } from "./model.js";
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
