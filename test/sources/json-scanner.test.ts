import { describe, expect, it } from "vitest";
import { JsonScanner } from "../../src/sources/files/json-scanner.js";

function scan(doc: string, depth: number, chunk: number) {
  const values: [string | undefined, unknown][] = [];
  const scalars: [string, string][] = [];
  const s = new JsonScanner(depth, {
    value: (k, t) => values.push([k, JSON.parse(t)]),
    scalar: (k, v) => scalars.push([k, v]),
    oversized: () => undefined,
  });
  for (let i = 0; i < doc.length; i += chunk) s.feed(doc.slice(i, i + chunk));
  return { values, scalars, unfinished: s.unfinished };
}

describe("JsonScanner", () => {
  const doc = JSON.stringify({
    logGroup: "/aws/eks/x/cluster",
    logEvents: [{ message: 'has "quotes" and ] brackets }' }, { message: "\\u escapes \u00e9" }],
    other: [{ skip: true }],
  });
  it.each([1, 3, 7, 1000])("emits array elements with their key, whatever the chunk size (%i)", (chunk) => {
    const r = scan(doc, 2, chunk);
    expect(r.values).toEqual([
      ["logEvents", { message: 'has "quotes" and ] brackets }' }],
      ["logEvents", { message: "\\u escapes é" }],
      ["other", { skip: true }],
    ]);
    expect(r.scalars).toEqual([["logGroup", "/aws/eks/x/cluster"]]);
    expect(r.unfinished).toBe(false);
  });
  it("emits top-level values one after another", () => {
    expect(scan('{"a":1}\n{"b":[2]}', 0, 4).values).toEqual([
      [undefined, { a: 1 }],
      [undefined, { b: [2] }],
    ]);
  });
  it("notices a document that stops early", () => {
    expect(scan('{"events":[{"a":1},{"b"', 2, 5).unfinished).toBe(true);
  });
});
