// Week over week, from last week's CSV: who moved to access entries, who newly depends on aws-auth,
// who regressed, and the verdict counts.

import { parse } from "csv-parse/sync";
import { counters, VERDICT_NAMES, type Verdict } from "../model.js";
import type { Report } from "../report/model.js";
import { markdownCell as md } from "../report/sanitize.js";

export interface Trend {
  previousWeek: string;
  verdicts: { verdict: Verdict; before: number; now: number }[];
  movedToAccessEntries: string[];
  newAwsAuthDependents: string[];
  regressions: { principal: string; from: string; to: Verdict }[];
  gone: string[];
}

const DEPENDS: ReadonlySet<string> = new Set(["needs-access-entry", "at-risk", "blocked"]);

/** Compares this week's report with last week's CSV (as this tool wrote it). */
export function trendFrom(previousCsv: string, previousWeek: string, report: Report): Trend {
  const rows = parse(previousCsv.replace(/^\uFEFF/, ""), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  const before = new Map(rows.map((r) => [(r.principal_arn ?? "").replace(/^'/, "").toLowerCase(), r]));
  const beforeCounts = counters(VERDICT_NAMES);
  for (const r of rows)
    if ((VERDICT_NAMES as string[]).includes(r.readiness ?? "")) beforeCounts[r.readiness as Verdict]++;
  const moved: string[] = [];
  const fresh: string[] = [];
  const regressions: Trend["regressions"] = [];
  const seen = new Set<string>();
  for (const p of report.principals) {
    const key = p.principalArn.toLowerCase();
    seen.add(key);
    const was = before.get(key);
    const wasVerdict = was?.readiness ?? "";
    if (was && was.access_entry === "no" && p.accessEntry === "yes") moved.push(p.principalArn);
    else if (was && DEPENDS.has(wasVerdict) && p.readiness === "ready") moved.push(p.principalArn);
    if (p.readiness === "needs-access-entry" && wasVerdict !== "needs-access-entry")
      fresh.push(p.principalArn);
    if (wasVerdict === "ready" && p.readiness !== "ready")
      regressions.push({ principal: p.principalArn, from: wasVerdict, to: p.readiness });
  }
  const gone = [...before.entries()].filter(([k]) => !seen.has(k)).map(([, r]) => r.principal_arn ?? "");
  return {
    previousWeek,
    verdicts: VERDICT_NAMES.map((v) => ({ verdict: v, before: beforeCounts[v], now: report.verdicts[v] })),
    movedToAccessEntries: [...new Set(moved)].sort(),
    newAwsAuthDependents: fresh.sort(),
    regressions,
    gone: gone.sort(),
  };
}

export function renderTrend(t: Trend): string {
  const out = [
    `## Since ${t.previousWeek}`,
    "",
    "| Verdict | Last week | This week | Change |",
    "|---|---:|---:|---:|",
  ];
  for (const v of t.verdicts) {
    const d = v.now - v.before;
    out.push(`| ${v.verdict} | ${v.before} | ${v.now} | ${d > 0 ? `+${d}` : d} |`);
  }
  const list = (title: string, items: string[]) =>
    items.length ? ["", `${title}:`, ...items.map((i) => `- ${md(i)}`)] : [];
  out.push(
    ...list("Moved to access entries", t.movedToAccessEntries),
    ...list("New aws-auth dependents", t.newAwsAuthDependents),
    ...list(
      "Regressions (ready last week, not now)",
      t.regressions.map((r) => `${r.principal}: ${r.from} → ${r.to}`),
    ),
    ...list("No longer seen or mapped", t.gone),
  );
  if (!t.movedToAccessEntries.length && !t.newAwsAuthDependents.length && !t.regressions.length)
    out.push("", "No principal changed verdict.");
  return `${out.join("\n")}\n`;
}
