// One count per request: EKS logs long-running requests (watch, exec, logs…) at ResponseStarted and
// again at ResponseComplete under one auditID. Only those can repeat, so only those are remembered,
// until their pair arrives: memory grows with requests in flight, not with the log.

import type { AuditRecord } from "../model.js";

const LONG_RUNNING_VERBS = new Set(["watch", "proxy"]);
const LONG_RUNNING_SUBRESOURCES = new Set(["attach", "exec", "proxy", "log", "portforward"]);

/** Could this event have a sibling stage? A forbidden or failed request never starts streaming. */
function mayHavePair(r: AuditRecord): boolean {
  if (!r.auditId || r.count !== 1) return false;
  if (r.stage === "ResponseStarted") return true;
  if (r.stage !== "ResponseComplete" && r.stage !== "Panic") return false;
  if (!LONG_RUNNING_VERBS.has(r.verb) && !LONG_RUNNING_SUBRESOURCES.has(r.subresource)) return false;
  if (r.decision === "forbid") return false;
  // Once headers are sent the status is fixed: a started stream completes with 200 (or 101 for upgrades).
  return r.code === undefined || r.code === 200 || r.code === 101;
}

export class StageDeduper {
  private readonly waiting = new Map<string, AuditRecord>();
  duplicates = 0;

  /** The record to count now, or undefined when it waits for (or completed) its pair. */
  offer(record: AuditRecord): AuditRecord | undefined {
    if (!mayHavePair(record)) return record;
    const id = record.auditId!;
    const first = this.waiting.get(id);
    if (first === undefined) {
      this.waiting.set(id, record);
      return undefined;
    }
    this.waiting.delete(id);
    this.duplicates++;
    return first;
  }

  /** Requests whose other stage never came (still streaming at the window's end): counted once each. */
  drain(): AuditRecord[] {
    const out = [...this.waiting.values()];
    this.waiting.clear();
    return out;
  }

  get inFlight(): number {
    return this.waiting.size;
  }
}

/** Pairs up the leftovers of several dedupers (parallel readers): each auditID once, earliest first. */
export function mergeLeftovers(lists: readonly AuditRecord[][]): {
  records: AuditRecord[];
  duplicates: number;
} {
  const byId = new Map<string, AuditRecord>();
  let duplicates = 0;
  for (const list of lists) {
    for (const r of list) {
      if (byId.has(r.auditId!)) duplicates++;
      else byId.set(r.auditId!, r);
    }
  }
  const records = [...byId.values()].sort((a, b) =>
    a.auditId! < b.auditId! ? -1 : a.auditId! > b.auditId! ? 1 : 0,
  );
  return { records, duplicates };
}
