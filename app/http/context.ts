import type { Hono } from 'hono';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../inventory/actor.ts';
import type { Locale } from '../../inventory/errors.ts';
import type { ReservationService } from '../../inventory/reservations/reserve.ts';
import type { WorkflowGateway } from '../../workflows/gateway.ts';

/** What the HTTP layer is built from; the entry point (Node or Workers) supplies it. */
export interface HttpDeps {
  db: Database;
  reservations: ReservationService;
  gateway: WorkflowGateway;
  version: string;
  /** Chat endpoints outside the token-checked API, by path: the local console, platform callbacks (they check their own signatures). */
  mounts?: Record<string, Hono>;
}

export type AppEnv = {
  Variables: {
    actor: Actor;
    locale: Locale;
  };
};
