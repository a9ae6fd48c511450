import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Feishu's callback security: AES-256-CBC with key = SHA-256(encrypt key) and
 * the IV as the first 16 bytes of the ciphertext; X-Lark-Signature =
 * sha256_hex(timestamp + nonce + encrypt key + raw body). The SDK re-serialises
 * the body before checking and accepts everything without a key, so the
 * checks are ours, on the raw bytes.
 */
const keyOf = (encryptKey: string) => createHash('sha256').update(encryptKey).digest();

export function decryptEvent(encrypted: string, encryptKey: string): string {
  const data = Buffer.from(encrypted, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', keyOf(encryptKey), data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
}

/** What Feishu's servers do; the loopback cloud in the tests uses it to send real callbacks. */
export function encryptEvent(plain: string, encryptKey: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', keyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

export function signature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + rawBody).digest('hex');
}

/** Replayed callbacks are refused: a signed request older than this is not accepted again. */
export const MAX_SKEW_SECONDS = 300;

export function verifySignature(
  headers: { timestamp: string | undefined; nonce: string | undefined; signature: string | undefined },
  encryptKey: string,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): 'ok' | 'missing' | 'stale' | 'mismatch' {
  if (!headers.timestamp || !headers.nonce || !headers.signature) return 'missing';
  if (!/^\d+$/.test(headers.timestamp) || Math.abs(nowSeconds - Number(headers.timestamp)) > MAX_SKEW_SECONDS) return 'stale';
  const expected = Buffer.from(signature(headers.timestamp, headers.nonce, encryptKey, rawBody), 'hex');
  const given = Buffer.from(headers.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'mismatch';
}
