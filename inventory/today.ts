interface Zone {
  format: Intl.DateTimeFormat;
  /** The minute (ms since the epoch / 60 000) `day` was found for. */
  minute: number;
  day: string;
}

const zones = new Map<string, Zone>();
const MINUTE_MS = 60_000;

/** The calendar date (YYYY-MM-DD) in a time zone: what "expired" means to the warehouse. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  let zone = zones.get(timeZone);
  if (!zone) {
    // Building a formatter is costly; one per time zone serves every posting.
    zone = { format: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }), minute: Number.NaN, day: '' };
    zones.set(timeZone, zone);
  }
  // Formatting still costs ~20 µs, paid by every stock answer and posting. Every zone's
  // midnight falls on a whole minute (UTC offsets are whole minutes), so the day found
  // for a minute holds for all of it.
  const minute = Math.floor(now.getTime() / MINUTE_MS);
  if (minute !== zone.minute) {
    zone.day = zone.format.format(now);
    zone.minute = minute;
  }
  return zone.day;
}

/** The ISO date `offset` days from `day` (negative: earlier). */
export function addDays(day: string, offset: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}
