import type { Database } from '../../db/client.ts';
import type { Actor } from '../../inventory/actor.ts';
import type { Locale } from '../../inventory/errors.ts';
import type { Person } from '../../inventory/people.ts';
import type { ReservationService } from '../../inventory/reservations/reserve.ts';
import type { WorkflowGateway } from '../../workflows/gateway.ts';
import type { WarehouseDirectory } from '../../bot/core/lexicon.ts';
import type { SsoExchangers } from './sso/types.ts';

/** What the mini-app API is built from; the composition root supplies it. */
export interface MiniDeps {
  db: Database;
  gateway: WorkflowGateway;
  reservations: ReservationService;
  warehouses: WarehouseDirectory;
  /** HMAC key that signs sessions; sessions signed with another key are refused. */
  sessionSecret: string;
  /** How long a session lasts before the app must sign in again. */
  sessionTtlSeconds: number;
  /** The development sign-in (pick any employee): only when no platform is configured. */
  devSignIn: { companyId: number } | null;
  /** Code → platform user id, per messenger that is configured. */
  sso: SsoExchangers;
}

export type MiniEnv = {
  Variables: {
    /** The signed-in employee, re-read from the database on every call. */
    user: Person;
    actor: Actor;
    locale: Locale;
  };
};
