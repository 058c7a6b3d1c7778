import { describe, expect, it } from "vitest";
import { parseDuration, parseTime } from "../src/time.js";

describe("time", () => {
  it("reads the event's ISO 8601 with microseconds", () => {
    expect(parseTime("2024-08-24T14:27:07.461683Z")).toBe(Date.UTC(2024, 7, 24, 14, 27, 7, 461));
  });
  it("reads Logs Insights' zone-less UTC form", () => {
    expect(parseTime("2023-07-31 01:58:12.101")).toBe(Date.UTC(2023, 6, 31, 1, 58, 12, 101));
    expect(parseTime("2025-08-26 17:40:49.320496000")).toBe(Date.UTC(2025, 7, 26, 17, 40, 49, 320));
  });
  it("applies offsets", () => {
    expect(parseTime("2025-05-24T11:02:04.432000-05:00")).toBe(Date.UTC(2025, 4, 24, 16, 2, 4, 432));
  });
  it("rejects what is not a time", () => {
    expect(parseTime("yesterday")).toBeUndefined();
  });
  it("parses durations", () => {
    expect(parseDuration("7d")).toBe(7 * 86_400_000);
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("7 days")).toBeUndefined();
  });
});
