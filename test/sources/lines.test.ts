import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../src/sources/files/lines.js";

function split(chunks: Buffer[]) {
  const lines: string[] = [];
  const oversized: number[] = [];
  const s = new LineSplitter({ line: (l) => lines.push(l), oversized: (n) => oversized.push(n) });
  for (const c of chunks) s.push(c);
  s.end();
  return { lines, oversized };
}

describe("LineSplitter", () => {
  it("keeps multi-byte characters whole across chunk boundaries", () => {
    const text = Buffer.from("héllo wörld\n日本語のログ\nlast");
    for (let cut = 1; cut < text.length; cut++) {
      expect(split([text.subarray(0, cut), text.subarray(cut)]).lines).toEqual([
        "héllo wörld",
        "日本語のログ",
        "last",
      ]);
    }
  });
  it("drops a line that grows past the cap across chunks and resumes after it", () => {
    const big = Buffer.alloc(600_000, 97);
    const { lines, oversized } = split([Buffer.from("a\n"), big, big, Buffer.from("\nb\n")]);
    expect(lines).toEqual(["a", "b"]);
    expect(oversized).toEqual([1_200_000]);
  });
});
