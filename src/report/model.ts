// The finished report: what every renderer reads and what `runReport` returns. Field names are stable.

import type { MappingProblem } from "../inventory/inventory.js";
import type { AuthenticationMode, AuthPath, NonIamKind, PrincipalType, Route, Verdict } from "../model.js";
import type { EntryPlan } from "../readiness/recommend.js";
import type { InputProblem } from "../sources/files/reader.js";
import type { LiveSummary } from "../sources/insights/live.js";

export interface OperationRow {
  verb: string;
  apiGroup: string;
  resource: string;
  namespace: string;
  nonResourcePath?: string;
  count: number;
  routes: Partial<Record<Route, number>>;
  grants: string[];
}

export interface PrincipalReport {
  cluster: string;
  principalArn: string;
  principalType: PrincipalType;
  requests: number;
  routes: Record<Route, number>;
  paths: Record<AuthPath, number>;
  truncated: number;
  firstSeen: string;
  lastSeen: string;
  /** Access policies seen allowing it, `Name (scope)`. */
  accessPolicies: string[];
  usernames: string[];
  userAgents: string[];
  accessEntry: "yes" | "no" | "unknown";
  /** The aws-auth mapping written for it, if any. */
  mapping?: { source: string; arn: string; username?: string; groups: string[]; problems: MappingProblem[] };
  readiness: Verdict;
  /** Why this verdict, in one sentence. */
  why: string;
  recommendation: string;
  /** The `aws eks` commands that carry out `entryPlan`. */
  commands: string[];
  /** The access entry to create or amend, as data (plan renders it as aws, Terraform or eksctl). */
  entryPlan?: EntryPlan;
  notes: string[];
  operations: OperationRow[];
}

export interface ClusterVerdict {
  status: "ready" | "not-ready" | "unknown";
  summary: string;
  reasons: string[];
}

export interface InputSummary {
  sources: string[];
  files: number;
  formats: Record<string, number>;
  bytes: number;
  /** Lines (or messages in a JSON container) read: = events + truncated + malformed + nonAudit. */
  records: number;
  events: number;
  truncated: number;
  malformed: number;
  nonAudit: number;
  /** events = requests + duplicateStages + noDecision + filteredOut. */
  requests: number;
  duplicateStages: number;
  noDecision: number;
  filteredOut: number;
  problems: InputProblem[];
}

export interface Report {
  tool: { name: string; version: string };
  generatedAt: string;
  cluster: {
    name: string;
    arn?: string;
    authenticationMode?: AuthenticationMode;
    inventory: "file" | "live" | "none";
    awsAuth: "file" | "live" | "inventory" | "none";
  };
  /** The requested window (filters) and the span the data actually covers. */
  window: { start?: string; end?: string; firstRequest?: string; lastRequest?: string };
  filters: { principal?: string; agent?: string };
  input: InputSummary;
  requests: {
    total: number;
    iam: number;
    byPath: Record<AuthPath, number>;
    nonIam: Record<NonIamKind, number>;
    truncatedUnattributed: number;
  };
  verdicts: Record<Verdict, number>;
  clusterVerdict: ClusterVerdict;
  principals: PrincipalReport[];
  /** What could not be determined, and why. */
  notes: string[];
  /** Present for a live (Logs Insights) run: what was scanned and what it cost. */
  insights?: LiveSummary;
}
