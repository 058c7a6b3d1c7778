// Markdown for a wiki or a pull request: summary, verdict counts, per-principal table, a Mermaid pie.

import { AUTH_PATH_NAMES, VERDICT_NAMES, VERDICTS } from "../model.js";
import type { Report } from "./model.js";
import { markdownCell as md } from "./sanitize.js";
import { inputLine, insightsLine, nonIamLine, num, requestsLine, windowLine } from "./text.js";

export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const v = report.clusterVerdict;
  out.push(`# EKS access audit — ${md(report.cluster.name)}`, "");
  out.push(
    `**Cluster verdict: ${v.status}** — ${md(v.summary)}`,
    "",
    ...v.reasons.map((r) => `- ${md(r)}`),
    ...(v.reasons.length ? [""] : []),
  );
  out.push(
    `- Authentication mode: ${report.cluster.authenticationMode ?? "unknown"}; inventory: ${report.cluster.inventory}; aws-auth: ${report.cluster.awsAuth}`,
    `- ${md(windowLine(report))}`,
    `- ${md(insightsLine(report) ?? inputLine(report))}`,
    `- ${md(requestsLine(report))}`,
    `- ${md(nonIamLine(report))}`,
    ...report.notes.map((n) => `- Note: ${md(n)}`),
    "",
  );
  out.push("## Verdicts", "", "| Verdict | Principals | Meaning |", "|---|---:|---|");
  for (const name of VERDICT_NAMES)
    out.push(`| ${name} | ${report.verdicts[name]} | ${md(VERDICTS[name])} |`);
  out.push("");

  const paths = AUTH_PATH_NAMES.filter((p) => report.requests.byPath[p] > 0);
  if (paths.length) {
    out.push(
      "## Requests by authorization path",
      "",
      "```mermaid",
      "pie title Requests by authorization path",
    );
    for (const p of paths) out.push(`  "${p}" : ${report.requests.byPath[p]}`);
    out.push("```", "");
  }

  out.push(
    "## Principals",
    "",
    "| Verdict | Principal | Type | Requests | Access policy | aws-auth | Entry groups | Unresolved | Denied | Last seen | Entry |",
    "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|",
  );
  for (const p of report.principals) {
    out.push(
      `| ${p.readiness} | ${md(p.principalArn)} | ${p.principalType} | ${num(p.requests)} | ${num(p.routes["access-policy"])} | ${num(p.routes["aws-auth"])} | ${num(p.routes["access-entry-groups"])} | ${num(p.routes.unresolved)} | ${num(p.routes.denied)} | ${p.lastSeen || "-"} | ${p.accessEntry} |`,
    );
  }
  const steps = report.principals.filter((p) => p.readiness !== "ready");
  if (steps.length) {
    out.push("", "## Next steps", "");
    for (const p of steps) {
      out.push(`### ${md(p.principalArn)} — ${p.readiness}`, "", `${md(p.why)}.`, "");
      if (p.recommendation) out.push(`Recommendation: ${md(p.recommendation)}.`, "");
      if (p.commands.length) out.push("```sh", ...p.commands.map((c) => c.replace(/`/g, "'")), "```", "");
      for (const n of p.notes) out.push(`- ${md(n)}`);
      if (p.notes.length) out.push("");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}
