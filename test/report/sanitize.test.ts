import { describe, expect, it } from "vitest";
import { csvCell, markdownCell, printable } from "../../src/report/sanitize.js";

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
  it("cannot break a Markdown table or inject HTML", () => {
    expect(markdownCell("a|b <img src=x> `c`")).toBe("a\\|b &lt;img src=x&gt; \\`c\\`");
  });
});
