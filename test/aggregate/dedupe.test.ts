import { describe, expect, it } from "vitest";
import { mergeLeftovers, StageDeduper } from "../../src/aggregate/dedupe.js";
import { eventToRecord } from "../../src/sources/event.js";
import { event } from "../support/events.js";

const rec = (spec: Parameters<typeof event>[0]) => eventToRecord(event(spec))!;

describe("StageDeduper", () => {
  it("counts a watch logged at ResponseStarted and ResponseComplete once", () => {
    const d = new StageDeduper();
    expect(d.offer(rec({ auditID: "w1", verb: "watch", stage: "ResponseStarted" }))).toBeUndefined();
    const counted = d.offer(rec({ auditID: "w1", verb: "watch", stage: "ResponseComplete" }));
    expect(counted?.stage).toBe("ResponseStarted");
    expect(d.inFlight).toBe(0);
    expect(d.drain()).toEqual([]);
  });
  it("pairs stages in either order", () => {
    const d = new StageDeduper();
    expect(
      d.offer(
        rec({
          auditID: "e1",
          verb: "create",
          ref: { resource: "pods", subresource: "exec", namespace: "a" },
        }),
      ),
    ).toBeUndefined();
    expect(
      d.offer(
        rec({
          auditID: "e1",
          verb: "create",
          ref: { resource: "pods", subresource: "exec", namespace: "a" },
          stage: "ResponseStarted",
        }),
      ),
    ).toBeDefined();
  });
  it("counts at once what never streams: short requests, denied and failed watches", () => {
    const d = new StageDeduper();
    expect(d.offer(rec({ auditID: "g", verb: "get" }))).toBeDefined();
    expect(d.offer(rec({ auditID: "w", verb: "watch", decision: "forbid" }))).toBeDefined();
    expect(d.offer(rec({ auditID: "w2", verb: "watch", code: 429 }))).toBeDefined();
    expect(d.inFlight).toBe(0);
  });
  it("hands over a watch still open at the end, once", () => {
    const d = new StageDeduper();
    d.offer(rec({ auditID: "w9", verb: "watch", stage: "ResponseStarted" }));
    expect(d.drain()).toHaveLength(1);
  });
  it("merges leftovers of parallel readers by auditID", () => {
    const a = rec({ auditID: "x", verb: "watch", stage: "ResponseStarted" });
    const b = rec({ auditID: "x", verb: "watch" });
    const c = rec({ auditID: "y", verb: "watch" });
    const m = mergeLeftovers([[a], [b, c]]);
    expect(m.records).toEqual([a, c]);
    expect(m.duplicates).toBe(1);
  });
});
