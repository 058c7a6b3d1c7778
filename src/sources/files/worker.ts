// A parallel reader: runs the Analyzer on the units the main thread sends, returns plain state.

import { parentPort, workerData } from "node:worker_threads";
import type { UsageState } from "../../aggregate/aggregator.js";
import { type AnalysisCounts, Analyzer, type RecordFilter } from "../../analyze.js";
import { InventoryIndex } from "../../inventory/inventory.js";
import type { Inventory } from "../../inventory/model.js";
import type { AuditRecord } from "../../model.js";
import type { Format } from "./formats.js";
import { type ByteRange, emptyStats, type InputStats, readInput } from "./reader.js";

export interface WorkUnit {
  path: string;
  range: ByteRange | undefined;
  format: Format | undefined;
}

export interface UnitResult {
  usage: UsageState;
  stats: InputStats;
  counts: AnalysisCounts;
  leftovers: AuditRecord[];
  lines: number;
}

if (parentPort) {
  const port = parentPort;
  const setup = workerData as { inventory: Inventory | undefined; filter: RecordFilter };
  const index = new InventoryIndex(setup.inventory);
  port.on("message", async ({ i, unit }: { i: number; unit: WorkUnit }) => {
    try {
      const analyzer = new Analyzer(index, setup.filter);
      const stats = emptyStats();
      const { lines } = await readInput(unit.path, stats, analyzer, {
        ...(unit.range ? { range: unit.range } : {}),
        ...(unit.format ? { format: unit.format } : {}),
      });
      const result: UnitResult = {
        usage: analyzer.usage,
        stats,
        counts: analyzer.counts,
        leftovers: analyzer.takeLeftovers(),
        lines,
      };
      port.postMessage({ i, result });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      port.postMessage({ i, error: { message: e.message, code: e.code } });
    }
  });
}
