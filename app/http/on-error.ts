import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, ValidationError, type ErrorCode, type Locale } from '../../inventory/errors.ts';

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  DUPLICATE: 409,
  INSUFFICIENT_STOCK: 409,
  IDEMPOTENCY_CONFLICT: 409,
  RESERVATION_NOT_ACTIVE: 409,
  TRANSFER_NOT_IN_TRANSIT: 409,
  CONCURRENT_UPDATE: 409,
  SERIAL_NOT_AVAILABLE: 409,
  EMPLOYEE_REQUIRED: 403,
  NOT_AN_ASSIGNEE: 403,
  REQUEST_FINISHED: 409,
  NOT_REQUESTER: 403,
  INVALID_DELEGATION: 409,
  WRONG_STAGE: 409,
  NOT_FULFILLER: 403,
  LEDGER_APPEND_ONLY: 409,
  STOCKTAKE_CLOSED: 409,
  WAREHOUSE_OUT_OF_SCOPE: 403,
  ROLE_REQUIRED: 403,
  SESSION_EXPIRED: 401,
  FILE_TOO_LARGE: 413,
  IMPORT_NOT_READY: 409,
  SSO_REFUSED: 401,
  NOT_BOUND: 403,
};

/** Accept-Language decides the words; Chinese unless the caller prefers English. */
export function localeOf(header: string | undefined): Locale {
  const first = header?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

/**
 * The one place errors become HTTP: `{ error: { code, message, details } }`.
 * Domain errors keep their code; anything else is a 500 whose details stay in the log.
 */
export function onError(err: Error, c: Context): Response {
  const locale = localeOf(c.req.header('accept-language'));
  if (err instanceof DomainError) {
    const details = err instanceof ValidationError ? { issues: err.localizedIssues(locale) } : (err.details ?? null);
    return c.json({ error: { code: err.code, message: err.localized(locale), details } }, STATUS[err.code]);
  }
  // Hono's own refusals (a body that is not JSON, a wrong content type) keep their status, in our error shape.
  if (err instanceof HTTPException && err.status < 500) {
    return c.json({ error: { code: 'VALIDATION_FAILED', message: err.message, details: { issues: [{ path: '(body)', message: err.message }] } } }, err.status);
  }
  if (err instanceof SyntaxError) {
    const message = locale === 'en' ? 'The request body is not valid JSON' : '请求体不是合法的 JSON';
    return c.json({ error: { code: 'VALIDATION_FAILED', message, details: { issues: [{ path: '(body)', message: err.message }] } } }, 400);
  }
  console.error('unhandled error', c.req.method, c.req.path, err);
  const message = locale === 'en' ? 'Internal error; nothing was changed' : '服务器内部错误，未做任何更改';
  return c.json({ error: { code: 'INTERNAL', message, details: null } }, 500);
}
