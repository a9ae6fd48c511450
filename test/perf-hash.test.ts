import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestHash, sha256Hex } from '../inventory/hash.ts';
import { sha256HexSync } from '../inventory/sha256.ts';

describe('sha256HexSync', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(sha256HexSync('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256HexSync('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256HexSync('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('equals Web Crypto on any text, across block boundaries and in any script', async () => {
    for (let n = 0; n < 200; n++) {
      const text = 'x'.repeat(n) + (n % 3 === 0 ? '螺丝M6上海仓' : '');
      expect(sha256HexSync(text)).toBe(await sha256Hex(text));
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 300 }), async (s) => {
        expect(sha256HexSync(s)).toBe(await sha256Hex(s));
      }),
    );
  });

  it('gives request hashes equal to those stored before (Web Crypto over canonical JSON)', async () => {
    const input = { type: 'receipt', warehouse: 'SH', lines: [{ qty: 3, item: 'M6', unit: '盒' }], idempotencyKey: 'k-1' };
    expect(await requestHash(input)).toBe(await sha256Hex('{"idempotencyKey":"k-1","lines":[{"item":"M6","qty":3,"unit":"盒"}],"type":"receipt","warehouse":"SH"}'));
  });
});
