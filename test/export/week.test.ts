import { describe, expect, it } from "vitest";
import {
  formatWeek,
  isoWeekOf,
  lastCompleteWeek,
  parseWeek,
  previousWeek,
  weekRange,
  weeksInYear,
} from "../../src/export/week.js";

const t = (s: string) => Date.parse(s);

describe("ISO weeks", () => {
  it("2026-W48 runs Monday 23 Nov 00:00 to Monday 30 Nov 00:00 UTC", () => {
    expect(weekRange(parseWeek("2026-W48"))).toEqual({
      start: t("2026-11-23T00:00:00Z"),
      end: t("2026-11-30T00:00:00Z"),
    });
  });
  it("an event exactly at Monday 00:00 belongs to the week that starts then", () => {
    expect(formatWeek(isoWeekOf(t("2026-11-23T00:00:00Z")))).toBe("2026-W48");
    expect(formatWeek(isoWeekOf(t("2026-11-22T23:59:59.999Z")))).toBe("2026-W47");
  });
  it("week 53 and the turn of the year", () => {
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2025)).toBe(52);
    expect(formatWeek(isoWeekOf(t("2027-01-01T12:00:00Z")))).toBe("2026-W53");
    expect(formatWeek(isoWeekOf(t("2027-01-04T00:00:00Z")))).toBe("2027-W01");
    expect(formatWeek(isoWeekOf(t("2024-12-30T00:00:00Z")))).toBe("2025-W01");
    expect(weekRange(parseWeek("2026-W53"))).toEqual({
      start: t("2026-12-28T00:00:00Z"),
      end: t("2027-01-04T00:00:00Z"),
    });
    expect(formatWeek(previousWeek(parseWeek("2027-W01")))).toBe("2026-W53");
    expect(() => parseWeek("2025-W53")).toThrow(/not an ISO week/);
  });
  it("defaults to the last complete week", () => {
    expect(formatWeek(lastCompleteWeek(new Date("2026-12-04T15:00:00Z")))).toBe("2026-W48");
    expect(formatWeek(lastCompleteWeek(new Date("2026-11-30T00:00:01Z")))).toBe("2026-W48");
  });
});
