import { ForbiddenError } from './errors.ts';

export const SCOPES = ['stock:read', 'stock:write', 'master:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Who is calling a verb. Every verb is scoped to `companyId`; nothing outside
 * that company is ever read or written on the actor's behalf.
 */
export interface Actor {
  companyId: number;
  /** The employee acting, when known (chat user, mini-app session, token bound to an employee). */
  employeeId: number | null;
  scopes: readonly Scope[];
  /** Where the call came from: api, chat, miniapp, workflow, seed … (audit trail). */
  channel: string;
  /** The company's time zone: decides what "today" and "expired" mean. */
  timezone: string;
}

export function requireScope(actor: Actor, scope: Scope): void {
  if (!actor.scopes.includes(scope) && !actor.scopes.includes('admin')) throw new ForbiddenError(scope);
}

/** An all-powerful actor for trusted internal jobs (seed, migrations, workflow activities). */
export function systemActor(companyId: number, channel = 'system', timezone = 'Asia/Shanghai'): Actor {
  return { companyId, employeeId: null, scopes: ['admin'], channel, timezone };
}
