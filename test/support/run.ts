import { runReport } from "../../src/index.js";
import type { PrincipalReport, Report } from "../../src/report/model.js";
import { jsonl } from "./events.js";
import { tempDir } from "./tmp.js";

const tmp = tempDir();
let n = 0;

export interface Case {
  events: unknown[];
  inventory?: unknown;
  awsAuth?: unknown;
}

/** Runs the library's report on events (and an inventory / aws-auth) written to temp files. */
export async function reportOf(c: Case): Promise<Report> {
  n++;
  const input = tmp.file(`case-${n}.jsonl`, jsonl(c.events));
  const inventory = c.inventory ? tmp.file(`inv-${n}.json`, JSON.stringify(c.inventory)) : undefined;
  const awsAuth = c.awsAuth ? tmp.file(`cm-${n}.json`, JSON.stringify(c.awsAuth)) : undefined;
  return runReport({ inputs: [input], inventory, awsAuth, now: new Date("2026-12-01T00:00:00Z") });
}

export function principal(r: Report, arnPart: string): PrincipalReport {
  const p = r.principals.find((x) => x.principalArn.includes(arnPart));
  if (!p) throw new Error(`no principal ${arnPart} in ${r.principals.map((x) => x.principalArn).join(", ")}`);
  return p;
}

export function configMap(data: { mapRoles?: unknown[]; mapUsers?: unknown[]; mapAccounts?: string[] }) {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "aws-auth", namespace: "kube-system" },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, JSON.stringify(v)])),
  };
}
