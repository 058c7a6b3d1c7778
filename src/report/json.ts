// JSON: the whole Report, stable field names; log text escaped so that printing it is safe too.

import type { Report } from "./model.js";
import { safeJson } from "./sanitize.js";

export function renderJson(report: Report): string {
  return `${safeJson(report, 2)}\n`;
}
