import { todayIn } from '../../inventory/today.ts';

const DAY_MS = 86_400_000;
/** China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The demo's days, counted back from `today` in Shanghai: day 0 is today, day 90 is 90 days ago. */
export class DemoCalendar {
  readonly todayDate: string;
  private readonly todayMidnightUtc: number;

  constructor(
    readonly today: Date,
    timezone: string,
  ) {
    this.todayDate = todayIn(timezone, today);
    this.todayMidnightUtc = Date.parse(`${this.todayDate}T00:00:00Z`);
  }

  /** YYYY-MM-DD of the day `daysAgo` before today. */
  date(daysAgo: number): string {
    return isoDate(this.todayMidnightUtc - daysAgo * DAY_MS);
  }

  /** 0 = Sunday … 6 = Saturday, in Shanghai. */
  weekday(daysAgo: number): number {
    return new Date(this.todayMidnightUtc - daysAgo * DAY_MS).getUTCDay();
  }

  /** The instant of hh:mm Shanghai time on that day. */
  at(daysAgo: number, hour: number, minute: number): Date {
    return new Date(this.todayMidnightUtc - daysAgo * DAY_MS - SHANGHAI_OFFSET_MS + (hour * 60 + minute) * 60_000);
  }

  /** Whether the moment has already happened: nothing is posted after `today`. */
  isPast(at: Date): boolean {
    return at.getTime() <= this.today.getTime();
  }
}

export function addDays(date: string, days: number): string {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

/** 2026-11-20 → 20261120, as document and batch numbers write it. */
export const compactDate = (date: string): string => date.replaceAll('-', '');

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
