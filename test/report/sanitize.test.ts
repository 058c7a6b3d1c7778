import { describe, expect, it } from "vitest";
import { csvCell, markdownCell, printable, safeJson } from "../../src/report/sanitize.js";

describe("untrusted log text", () => {
  it("never reaches a terminal with control characters", () => {
    expect(printable("kubectl\u001b[31m\u0007\r\n\u202eevil")).toBe(
      "kubectl\\x1b[31m\\x07\\x0d\\x0a\\u202eevil",
    );
  });
  it("never starts a spreadsheet formula", () => {
    for (const s of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
      expect(csvCell(s).startsWith("'")).toBe(true);
    expect(csvCell("\tTAB")).toBe("\\x09TAB");
    expect(csvCell("kubectl/v1.31")).toBe("kubectl/v1.31");
  });
  it("JSON output escapes what JSON.stringify leaves raw (C1 controls, bidi overrides) and still round-trips", () => {
    const evil = { ua: "kubectl\u009b31m\u202egnp.exe\u2028x", ok: "héllo" };
    const text = safeJson(evil);
    expect(text).not.toMatch(/[\u0080-\u009f\u202e\u2028]/);
    expect(text).toContain("\\u009b");
    expect(JSON.parse(text)).toEqual(evil);
  });
  it("cannot break a Markdown table or inject HTML", () => {
    expect(markdownCell("a|b <img src=x> `c`")).toBe("a\\|b &lt;img src=x&gt; \\`c\\`");
  });
});
