import { describe, expect, it } from 'vitest';
import { addDays, todayIn } from './today.ts';

describe('todayIn', () => {
  it('turns the day at the zone’s midnight, also for a zone 45 minutes off the hour', () => {
    expect(todayIn('Asia/Shanghai', new Date('2026-12-06T15:59:59.999Z'))).toBe('2026-12-06');
    expect(todayIn('Asia/Shanghai', new Date('2026-12-06T16:00:00Z'))).toBe('2026-12-07');
    expect(todayIn('Asia/Kathmandu', new Date('2026-12-06T18:14:59.999Z'))).toBe('2026-12-06');
    expect(todayIn('Asia/Kathmandu', new Date('2026-12-06T18:15:00Z'))).toBe('2026-12-07');
    expect(todayIn('Asia/Shanghai', new Date('2026-12-06T15:59:00Z'))).toBe('2026-12-06');
  });

  it('answers each zone for itself at the same instant', () => {
    const at = new Date('2026-12-06T20:00:00Z');
    expect(todayIn('America/Los_Angeles', at)).toBe('2026-12-06');
    expect(todayIn('Asia/Tokyo', at)).toBe('2026-12-07');
    expect(todayIn('America/Los_Angeles', at)).toBe('2026-12-06');
  });

  it('refuses an unknown zone', () => {
    expect(() => todayIn('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('adds days across a month end', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
