// ISO 8601 weeks: Monday 00:00 to the next Monday 00:00, UTC. Week 1 holds the year's first Thursday.

import { UsageError } from "../errors.js";

export interface IsoWeek {
  year: number;
  week: number;
}

const DAY = 86_400_000;

export function isoWeekOf(t: number): IsoWeek {
  const d = new Date(t);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const weekday = (d.getUTCDay() + 6) % 7;
  const thursday = midnight + (3 - weekday) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  return { year, week: 1 + Math.floor((thursday - jan1) / (7 * DAY)) };
}

/** Monday 00:00 UTC of week 1 of an ISO year. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
}

export function weeksInYear(year: number): number {
  return (week1Monday(year + 1) - week1Monday(year)) / (7 * DAY);
}

/** [start, end) in epoch ms. */
export function weekRange(w: IsoWeek): { start: number; end: number } {
  const start = week1Monday(w.year) + (w.week - 1) * 7 * DAY;
  return { start, end: start + 7 * DAY };
}

export function formatWeek(w: IsoWeek): string {
  return `${w.year}-W${String(w.week).padStart(2, "0")}`;
}

export function parseWeek(text: string): IsoWeek {
  const m = /^(\d{4})-?W(\d{2})$/.exec(text.trim());
  const w = m ? { year: Number(m[1]), week: Number(m[2]) } : undefined;
  if (!w || w.week < 1 || w.week > weeksInYear(w.year)) {
    throw new UsageError(
      `--week ${text}: not an ISO week`,
      `e.g. 2026-W48 (weeks 01 to ${w ? weeksInYear(w.year) : "52/53"})`,
    );
  }
  return w;
}

/** The last week that has ended. */
export function lastCompleteWeek(now: Date): IsoWeek {
  return isoWeekOf(now.getTime() - 7 * DAY);
}

export function previousWeek(w: IsoWeek): IsoWeek {
  return isoWeekOf(weekRange(w).start - DAY);
}
