import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const WEB_DIR = path.join(import.meta.dirname, 'web');
export const DIST_DIR = path.join(WEB_DIR, 'dist');
const STAMP = path.join(DIST_DIR, '.source-hash');

/** Everything the bundle is made from: the page sources, the API types they use, the build config and the lockfile. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (name === 'dist' || name === 'node_modules') continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (!name.endsWith('.test.ts')) hash.update(full).update(readFileSync(full));
    }
  };
  walk(WEB_DIR);
  hash.update(readFileSync(path.join(WEB_DIR, '..', '..', 'package-lock.json')));
  return hash.digest('hex');
}

/**
 * Builds the mini-app with Vite unless the last build came from the same
 * sources, so `npm start` and `npm test` always serve what the code says
 * without paying for a rebuild each time. Text assets are also written
 * gzipped: phones get the small file without the server compressing per request.
 */
export async function buildMiniapp(opts: { force?: boolean; log?: (m: string) => void } = {}): Promise<string> {
  const hash = sourceHash();
  if (!opts.force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return DIST_DIR;
  opts.log?.('building the mini-app (vite) …');
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
  const assets = path.join(DIST_DIR, 'assets');
  for (const name of readdirSync(assets)) {
    if (/\.(js|css|svg)$/.test(name)) writeFileSync(path.join(assets, `${name}.gz`), gzipSync(readFileSync(path.join(assets, name)), { level: 9 }));
  }
  writeFileSync(STAMP, hash);
  return DIST_DIR;
}
