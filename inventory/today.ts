const formats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) in a time zone: what "expired" means to the warehouse. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  let f = formats.get(timeZone);
  if (!f) {
    // Building a formatter is costly; one per time zone serves every posting.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, f);
  }
  return f.format(now);
}

/** The ISO date `offset` days from `day` (negative: earlier). */
export function addDays(day: string, offset: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}
