// The one code path for meaning: records (from any source) → filter → classify → dedupe → aggregate.

import { addRequest, addTruncated, emptyUsage, routeOf, type UsageState } from "./aggregate/aggregator.js";
import { StageDeduper } from "./aggregate/dedupe.js";
import { type Classification, classify } from "./classify/classify.js";
import type { InventoryIndex } from "./inventory/inventory.js";
import type { AuditRecord, Route } from "./model.js";
import type { RecordSink } from "./sources/files/reader.js";

export interface RecordFilter {
  /** Request time bounds (epoch ms), inclusive start, exclusive end. */
  start?: number | undefined;
  end?: number | undefined;
  /** Case-insensitive substring of the principal ARN (or username). */
  principal?: string | undefined;
  /** Case-insensitive substring of the user agent. */
  agent?: string | undefined;
}

export interface AnalysisCounts {
  noDecision: number;
  filteredOut: number;
  duplicateStages: number;
}

/** Called once per counted request (the `classify` command's rows). */
export type RequestListener = (record: AuditRecord, c: Classification, route: Route | undefined) => void;

export class Analyzer implements RecordSink {
  readonly usage: UsageState = emptyUsage();
  readonly counts: AnalysisCounts = { noDecision: 0, filteredOut: 0, duplicateStages: 0 };
  private readonly deduper = new StageDeduper();
  private readonly principal: string | undefined;
  private readonly agent: string | undefined;

  constructor(
    private readonly index: InventoryIndex,
    private readonly filter: RecordFilter = {},
    private readonly listener?: RequestListener,
  ) {
    this.principal = filter.principal?.toLowerCase();
    this.agent = filter.agent?.toLowerCase();
  }

  private inWindow(time: number | undefined): boolean {
    const { start, end } = this.filter;
    if (start === undefined && end === undefined) return true;
    if (time === undefined) return false;
    return (start === undefined || time >= start) && (end === undefined || time < end);
  }

  record(r: AuditRecord): void {
    if (!this.inWindow(r.time)) {
      this.counts.filteredOut += r.count;
      return;
    }
    const c = classify(r);
    if (!c) {
      this.counts.noDecision += r.count;
      return;
    }
    if (this.agent !== undefined && !(r.userAgent ?? "").toLowerCase().includes(this.agent)) {
      this.counts.filteredOut += r.count;
      return;
    }
    if (this.principal !== undefined) {
      const arn = c.identity.iam ? c.identity.principalArn : "";
      if (!arn.toLowerCase().includes(this.principal) && !r.username.toLowerCase().includes(this.principal)) {
        this.counts.filteredOut += r.count;
        return;
      }
    }
    const admitted = this.deduper.offer(r);
    if (admitted === undefined) return;
    if (admitted !== r) this.counts.duplicateStages++;
    this.count(admitted, admitted === r ? c : classify(admitted)!);
  }

  truncated(principalArn: string | undefined, time: number | undefined): void {
    if (!this.inWindow(time)) return;
    if (this.principal !== undefined && !(principalArn ?? "").toLowerCase().includes(this.principal)) return;
    addTruncated(this.usage, principalArn);
  }

  private count(r: AuditRecord, c: Classification): void {
    addRequest(this.usage, r, c, this.index);
    if (this.listener) {
      const route = c.identity.iam ? routeOf(c, r.time, c.identity.principalArn, this.index) : undefined;
      this.listener(r, c, route);
    }
  }

  /** Records still waiting for a pair (parallel readers hand these to the merge instead). */
  takeLeftovers(): AuditRecord[] {
    return this.deduper.drain();
  }

  /** Counts each leftover once. */
  finish(leftovers: AuditRecord[] = this.takeLeftovers()): void {
    for (const r of leftovers) this.count(r, classify(r)!);
  }
}
