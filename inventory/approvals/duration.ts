const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m", "2h", "1d" (or "1h30m") → milliseconds; null when not of that form. */
export function parseDuration(text: string): number | null {
  const parts = [...text.matchAll(/(\d+)([mhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return null;
  return parts.reduce((ms, [, n, unit]) => ms + Number(n) * (UNITS[unit ?? ''] ?? 0), 0);
}
