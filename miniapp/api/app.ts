import { Hono } from 'hono';
import type { MiniDeps, MiniEnv } from './context.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes, meRoutes } from './routes/auth.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { exportRoutes } from './routes/exports.ts';
import { importRoutes } from './routes/imports.ts';
import { itemRoutes } from './routes/items.ts';
import { jsapiRoutes } from './routes/jsapi.ts';
import { approvalRoutes, fulfilmentRoutes, peopleRoutes, requestRoutes } from './routes/requests.ts';
import { stocktakeRoutes } from './routes/stocktakes.ts';
import { warehouseRoutes } from './routes/warehouses.ts';
import { sessionAuth } from './session.ts';

/**
 * The mini-app's API, mounted at /app/api. Sign-in routes are open; every
 * other route runs as the session's employee, checked on each call.
 */
export function miniappApi(deps: MiniDeps) {
  return new Hono<MiniEnv>()
    .route('/auth', authRoutes(deps))
    .use('*', sessionAuth(deps))
    .route('/me', meRoutes(deps))
    .route('/auth/jsapi', jsapiRoutes(deps))
    .route('/items', itemRoutes(deps))
    .route('/requests', requestRoutes(deps))
    .route('/approvals', approvalRoutes(deps))
    .route('/fulfilment', fulfilmentRoutes(deps))
    .route('/people', peopleRoutes(deps))
    .route('/warehouses', warehouseRoutes(deps))
    .route('/dashboard', dashboardRoutes(deps))
    .route('/admin', adminRoutes(deps))
    .route('/stocktakes', stocktakeRoutes(deps))
    .route('/imports', importRoutes(deps))
    .route('/exports', exportRoutes(deps));
}

export type MiniApi = ReturnType<typeof miniappApi>;
