import { sha256HexSync } from './sha256.ts';

/** Canonical JSON (sorted keys) so that equal requests hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 hex with Web Crypto, so the same code runs on Node and Workers. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The request's fingerprint for idempotency: SHA-256 of its canonical JSON. */
export const requestHashSync = (value: unknown): string => sha256HexSync(canonicalJson(value));

export const requestHash = async (value: unknown): Promise<string> => requestHashSync(value);
