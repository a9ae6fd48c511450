import { describe, expect, it } from 'vitest';
import { decimalPlaces, formatMicro, mulMicro, parseMicro, roundDecimalText } from './decimal.ts';

describe('decimal', () => {
  it.each([
    ['12.5', 12_500_000n],
    [12.5, 12_500_000n],
    ['-3', -3_000_000n],
    ['0.000001', 1n],
    ['1.2300000', 1_230_000n],
    ['7.000000', 7_000_000n], // numeric(…, 6) as PostgreSQL writes it
    ['007.5', 7_500_000n],
    ['-0.000000', 0n],
    ['2.0000010', 2_000_001n], // a seventh place that is zero
    ['2.0000011', null],
    [0.1 + 0.2, null], // 0.30000000000000004 is not a quantity anyone typed
    ['1e3', null],
    ['abc', null],
    ['0.0000001', null],
    [Number.NaN, null],
  ] as const)('parses %s', (input, expected) => {
    expect(parseMicro(input)).toBe(expected);
  });

  it('formats without trailing zeros', () => {
    expect(formatMicro(12_500_000n)).toBe('12.5');
    expect(formatMicro(-250_000n)).toBe('-0.25');
    expect(formatMicro(3_000_000n)).toBe('3');
    expect(formatMicro(0n)).toBe('0');
    expect(formatMicro(1n)).toBe('0.000001');
    expect(formatMicro(-1n)).toBe('-0.000001');
    expect(formatMicro(999_999n)).toBe('0.999999');
    expect(formatMicro(1_000_000_000_000_010n)).toBe('1000000000.00001');
  });

  it('counts decimal places', () => {
    expect(decimalPlaces(3_000_000n)).toBe(0);
    expect(decimalPlaces(3_250_000n)).toBe(2);
    expect(decimalPlaces(1n)).toBe(6);
  });

  it('multiplies exactly or refuses', () => {
    expect(mulMicro(2_000_000n, 24_000_000n)).toBe(48_000_000n); // 2 箱 × 24
    expect(mulMicro(1n, 1n)).toBeNull();
  });
});

describe('roundDecimalText', () => {
  it.each([
    ['12.345678901234', 4, '12.3457'],
    ['-0.00005', 4, '-0.0001'],
    ['-0.00004', 4, '0'],
    ['100', 2, '100'],
    ['0.125', 2, '0.13'],
  ])('rounds %s to %i places', (text, places, expected) => {
    expect(roundDecimalText(text, places)).toBe(expected);
  });
});
