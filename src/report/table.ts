// The terminal view: summary, one line per principal, then the next steps for those not ready.

import type { Verdict } from "../model.js";
import type { PrincipalReport, Report } from "./model.js";
import { printable } from "./sanitize.js";
import { inputLine, nonIamLine, num, pathsLine, requestsLine, windowLine } from "./text.js";

export interface TableOptions {
  color: boolean;
}

const CODES: Record<Verdict | "bold" | "dim", [number, number]> = {
  "needs-access-entry": [31, 39],
  "at-risk": [33, 39],
  blocked: [35, 39],
  undetermined: [36, 39],
  dormant: [90, 39],
  ready: [32, 39],
  bold: [1, 22],
  dim: [2, 22],
};

function paint(on: boolean, style: keyof typeof CODES, text: string): string {
  if (!on) return text;
  const [open, close] = CODES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

const HEADERS = [
  "VERDICT",
  "PRINCIPAL",
  "TYPE",
  "REQUESTS",
  "POLICY",
  "AWS-AUTH",
  "ENTRY-GRP",
  "UNRESOLVED",
  "DENIED",
  "LAST SEEN",
  "ENTRY",
];

function cells(p: PrincipalReport): string[] {
  return [
    p.readiness,
    printable(p.principalArn),
    p.principalType,
    num(p.requests),
    num(p.routes["access-policy"]),
    num(p.routes["aws-auth"]),
    num(p.routes["access-entry-groups"]),
    num(p.routes.unresolved),
    num(p.routes.denied),
    p.lastSeen ? p.lastSeen.slice(0, 16).replace("T", " ") : "-",
    p.accessEntry,
  ];
}

const NUMERIC = new Set([3, 4, 5, 6, 7, 8]);

export function renderTable(report: Report, options: TableOptions): string {
  const c = options.color;
  const out: string[] = [];
  const cl = report.cluster;
  out.push(
    paint(c, "bold", `eks-access-audit · cluster ${printable(cl.name)}`) +
      `${cl.authenticationMode ? ` (${cl.authenticationMode})` : ""} · inventory: ${cl.inventory} · aws-auth: ${cl.awsAuth}`,
  );
  out.push(
    windowLine(report),
    inputLine(report),
    requestsLine(report),
    nonIamLine(report),
    pathsLine(report),
  );
  for (const p of report.input.problems)
    out.push(paint(c, "dim", `  ! ${printable(p.where)}: ${printable(p.why)}`));
  const v = report.clusterVerdict;
  const status = v.status === "ready" ? "READY" : v.status === "not-ready" ? "NOT READY" : "UNKNOWN";
  const style: Verdict =
    v.status === "ready" ? "ready" : v.status === "not-ready" ? "needs-access-entry" : "undetermined";
  out.push("", `${paint(c, style, paint(c, "bold", `Cluster: ${status}`))} — ${v.summary}`);
  for (const reason of v.reasons) out.push(`  - ${printable(reason)}`);
  for (const note of report.notes) out.push(paint(c, "dim", `  note: ${note}`));
  out.push("");

  if (report.principals.length === 0) {
    out.push("No IAM principals in the data.");
    return `${out.join("\n")}\n`;
  }
  const rows = report.principals.map(cells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[], verdict?: Verdict) =>
    r
      .map((cell, i) => {
        const padded = NUMERIC.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
        return i === 0 && verdict ? paint(c, verdict, padded) : padded;
      })
      .join("  ")
      .trimEnd();
  out.push(paint(c, "bold", line(HEADERS)));
  report.principals.forEach((p, i) => {
    out.push(line(rows[i]!, p.readiness));
  });

  const steps = report.principals.filter((p) => p.readiness !== "ready");
  if (steps.length) {
    out.push("", paint(c, "bold", "Next steps"));
    for (const p of steps) {
      out.push(`${paint(c, p.readiness, p.readiness)}  ${printable(p.principalArn)}`);
      out.push(`    why: ${printable(p.why)}`);
      if (p.recommendation) out.push(`    do:  ${printable(p.recommendation)}`);
      for (const cmd of p.commands) out.push(`    $ ${printable(cmd)}`);
      for (const note of p.notes) out.push(paint(c, "dim", `    note: ${printable(note)}`));
    }
  }
  return `${out.join("\n")}\n`;
}
