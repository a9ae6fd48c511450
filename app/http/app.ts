import { Hono } from 'hono';
import { bearerAuth } from './auth.ts';
import type { AppEnv, HttpDeps } from './context.ts';
import { onError } from './on-error.ts';
import { openApiDocument } from './openapi.ts';
import { employeeRoutes } from './routes/employees.ts';
import { healthRoutes } from './routes/health.ts';
import { itemRoutes } from './routes/items.ts';
import { movementRoutes } from './routes/movements.ts';
import { approvalRoutes, policyRoutes, requestRoutes } from './routes/requests.ts';
import { reservationRoutes } from './routes/reservations.ts';
import { ledgerRoutes, reportRoutes, stockRoutes } from './routes/stock.ts';
import { alertRoutes } from './routes/alerts.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { warehouseRoutes } from './routes/warehouses.ts';

/**
 * The HTTP application. Web-standard only (Hono, fetch, Web Crypto): the Node
 * server and, later, the Workers entry both mount it.
 */
export function createApp(deps: HttpDeps) {
  const api = new Hono<AppEnv>()
    .use(bearerAuth(deps.db))
    .route('/items', itemRoutes(deps))
    .route('/warehouses', warehouseRoutes(deps))
    .route('/employees', employeeRoutes(deps))
    .route('/stock', stockRoutes(deps))
    .route('/reports', reportRoutes(deps))
    .route('/movements', movementRoutes(deps))
    .route('/reservations', reservationRoutes(deps))
    .route('/ledger', ledgerRoutes(deps))
    .route('/requests', requestRoutes(deps))
    .route('/approvals', approvalRoutes(deps))
    .route('/policies', policyRoutes(deps))
    .route('/chat-subscriptions', subscriptionRoutes(deps))
    .route('/alerts', alertRoutes(deps));

  const app = new Hono()
    .route('/healthz', healthRoutes(deps))
    .get('/api/v1/openapi.json', (c) => c.json(openApiDocument(deps.version)))
    .route('/api/v1', api);
  for (const [path, mounted] of Object.entries(deps.mounts ?? {})) {
    mounted.onError(onError);
    app.route(path, mounted);
  }
  app.onError(onError);
  api.onError(onError);
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `No route ${c.req.method} ${c.req.path}`, details: null } }, 404));
  return app;
}

export type App = ReturnType<typeof createApp>;
