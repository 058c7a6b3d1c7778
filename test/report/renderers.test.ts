import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { type Report, runReport } from "../../src/index.js";
import { CSV_COLUMNS, renderCsv } from "../../src/report/csv.js";
import { renderJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderTable } from "../../src/report/table.js";

// Golden files: rerun with UPDATE_GOLDEN=1 after an intended change, and read the diff.
function golden(name: string, actual: string) {
  const path = new URL(`../golden/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

let report: Report;
beforeAll(async () => {
  report = await runReport({
    inputs: ["fixtures/demo/audit"],
    inventory: "fixtures/demo/inventory.json",
    awsAuth: "fixtures/demo/aws-auth.yaml",
    now: new Date("2026-12-01T00:00:00Z"),
  });
  report.tool.version = "0.0.0-test";
});

describe("renderers on the demo cluster", () => {
  it("table", () => golden("demo.txt", renderTable(report, { color: false })));
  it("csv", () => golden("demo.csv", renderCsv(report)));
  it("json", () => golden("demo.json", renderJson(report)));
  it("markdown", () => golden("demo.md", renderMarkdown(report)));

  it("the demo shows every verdict", () => {
    expect(Object.values(report.verdicts).every((n) => n > 0)).toBe(true);
  });

  it("csv has the contract columns first, in order, and counts that add up", () => {
    const rows = parse(renderCsv(report), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!).slice(0, 17)).toEqual(CSV_COLUMNS.slice(0, 17));
    for (const row of rows) {
      const parts = [
        "via_access_policy",
        "via_aws_auth",
        "via_access_entry_groups",
        "unresolved",
        "denied",
        "other_allowed",
      ];
      expect(parts.reduce((n, k) => n + Number(row[k]), 0)).toBe(Number(row.requests));
    }
  });

  it("table color only when asked", () => {
    expect(renderTable(report, { color: false })).not.toContain("\u001b[");
    expect(renderTable(report, { color: true })).toContain("\u001b[31mneeds-access-entry");
  });
});
