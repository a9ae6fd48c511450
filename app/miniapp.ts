import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WarehouseDirectory } from '../bot/core/lexicon.ts';
import type { Database } from '../db/client.ts';
import type { ReservationService } from '../inventory/reservations/reserve.ts';
import { buildMiniapp } from '../miniapp/build.ts';
import type { SsoExchangers } from '../miniapp/api/sso/types.ts';
import { miniappServer } from '../miniapp/server.ts';
import type { WorkflowGateway } from '../workflows/gateway.ts';
import type { Config } from './env.ts';

/** The session key: configured, or made once and kept with the data so that sessions outlive a restart. */
function sessionSecret(config: Config): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  const file = path.join(config.DATA_DIR, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * The mini-app at /app: builds the page when its sources changed and serves
 * it with its API. The development sign-in (pick any employee) is offered
 * for `devCompanyId`, which the caller gives only when no messenger is
 * configured (like the chat console).
 */
export async function startMiniapp(opts: {
  config: Config;
  db: Database;
  gateway: WorkflowGateway;
  reservations: ReservationService;
  sso: SsoExchangers;
  /** The company whose employees the development sign-in lists; null = no development sign-in. */
  devCompanyId: number | null;
  log: (m: string) => void;
}) {
  const dist = await buildMiniapp({ log: opts.log });
  const devSignIn = opts.devCompanyId !== null ? { companyId: opts.devCompanyId } : null;
  const server = miniappServer(
    {
      db: opts.db,
      gateway: opts.gateway,
      reservations: opts.reservations,
      warehouses: new WarehouseDirectory(opts.db),
      sessionSecret: sessionSecret(opts.config),
      sessionTtlSeconds: Math.round(opts.config.SESSION_TTL_HOURS * 3600),
      devSignIn,
      sso: opts.sso,
    },
    dist,
  );
  return { server, devSignIn: devSignIn !== null };
}
