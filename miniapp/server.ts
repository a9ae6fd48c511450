import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { miniappApi } from './api/app.ts';
import type { MiniDeps } from './api/context.ts';

/**
 * The mini-app at /app: its API under /app/api, the built page at /app/.
 * Hashed assets are cached for good; the page itself never, so a new
 * build reaches phones on the next open.
 */
export function miniappServer(deps: MiniDeps, distDir: string) {
  const index = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const page = (c: Context) => {
    c.header('cache-control', 'no-cache');
    return c.html(index);
  };
  return new Hono()
    .route('/api', miniappApi(deps))
    .get('/', page)
    // Mounted at /app, '/' answers /app only; links and the workbench open /app/ (with the slash).
    .get('/*', (c, next) => (c.req.path.endsWith('/app/') ? page(c) : next()))
    .use('/assets/*', async (c, next) => {
      await next();
      if (c.res.status === 200) c.header('cache-control', 'public, max-age=31536000, immutable');
    })
    .use('/assets/*', serveStatic({ root: distDir, precompressed: true, rewriteRequestPath: (p) => p.replace(/^\/app/, '') }));
}
