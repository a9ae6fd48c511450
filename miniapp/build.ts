import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const WEB_DIR = path.join(import.meta.dirname, 'web');
const BUILDS_DIR = path.join(WEB_DIR, 'dist');
/** Builds kept besides the newest: a server started a moment ago may still be serving one. */
const KEEP_BUILDS = 3;

/** Everything the bundle is made from: the page sources, the API types they use, the build config and the lockfile. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (name === 'dist' || name === 'node_modules') continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (!name.endsWith('.test.ts')) hash.update(path.relative(WEB_DIR, full)).update(readFileSync(full));
    }
  };
  walk(WEB_DIR);
  hash.update(readFileSync(path.join(WEB_DIR, '..', '..', 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Builds the mini-app with Vite into a folder named after its sources, unless
 * that build exists: `npm start` and `npm test` always serve what the code
 * says without paying for a rebuild each time, and a build never changes
 * under a server that is serving it. Text assets are also written gzipped:
 * phones get the small file without the server compressing per request.
 */
export async function buildMiniapp(opts: { log?: (m: string) => void } = {}): Promise<string> {
  const out = path.join(BUILDS_DIR, sourceHash());
  if (existsSync(path.join(out, 'index.html'))) return out;
  opts.log?.('building the mini-app (vite) …');
  const { build } = await import('vite');
  // Built beside, then renamed: a process that finds the folder finds a whole build.
  const partial = `${out}.${process.pid}.partial`;
  // Libraries choose their production build by NODE_ENV (react-router's development build is twice the size);
  // under the test runner it says `test`, so the build says what it is making.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(WEB_DIR, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: partial, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const assets = path.join(partial, 'assets');
  for (const name of readdirSync(assets)) {
    if (/\.(js|css|svg)$/.test(name)) writeFileSync(path.join(assets, `${name}.gz`), gzipSync(readFileSync(path.join(assets, name)), { level: 9 }));
  }
  if (existsSync(out)) rmSync(partial, { recursive: true, force: true });
  else renameSync(partial, out);
  pruneOldBuilds(out);
  return out;
}

function pruneOldBuilds(current: string): void {
  const builds = readdirSync(BUILDS_DIR)
    .map((name) => path.join(BUILDS_DIR, name))
    .filter((dir) => dir !== current && !dir.endsWith('.partial'))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const old of builds.slice(KEEP_BUILDS)) rmSync(old, { recursive: true, force: true });
}
