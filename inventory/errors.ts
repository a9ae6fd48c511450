/**
 * Typed domain errors. Each carries a stable code and the facts needed to
 * explain it; the words (Chinese first, English second) live in one catalogue
 * below and are chosen at the edge (HTTP, chat) by the caller's language.
 */
export type Locale = 'zh-CN' | 'en';

export interface Issue {
  /** Where: a JSON path such as `lines[2].qty`. */
  path: string;
  /** What was wrong and what is allowed (English). */
  message: string;
  /** The same in Chinese, where the check has its own words for it (schema checks do; a few domain rules still say it in English only). */
  zh?: string;
}

type Params = Record<string, unknown>;
type Messages = Record<Locale, (p: Params) => string>;

const catalogue = {
  VALIDATION_FAILED: {
    'zh-CN': (p) => `请求有 ${p.count} 处错误，未做任何更改`,
    en: (p) => `The request has ${p.count} error(s); nothing was changed`,
  },
  UNAUTHORIZED: {
    'zh-CN': () => '缺少或无效的访问令牌（Authorization: Bearer <token>）',
    en: () => 'Missing or invalid access token (Authorization: Bearer <token>)',
  },
  FORBIDDEN: {
    'zh-CN': (p) => `令牌缺少权限 ${p.scope}`,
    en: (p) => `The token lacks the ${p.scope} scope`,
  },
  NOT_FOUND: {
    'zh-CN': (p) => `找不到${p.kindZh ?? p.kind}：${p.key}`,
    en: (p) => `No ${p.kind} ${p.key}`,
  },
  DUPLICATE: {
    'zh-CN': (p) => `${p.kindZh ?? p.kind} ${p.key} 已存在`,
    en: (p) => `${p.kind} ${p.key} already exists`,
  },
  INSUFFICIENT_STOCK: {
    'zh-CN': (p) => `${p.item} 在 ${p.warehouse} 库存不足：需要 ${p.requested}，可用 ${p.available}`,
    en: (p) => `Not enough ${p.item} in ${p.warehouse}: ${p.requested} requested, ${p.available} available`,
  },
  IDEMPOTENCY_CONFLICT: {
    'zh-CN': (p) => `幂等键 ${p.key} 已用于另一内容不同的请求`,
    en: (p) => `Idempotency key ${p.key} was already used for a different request`,
  },
  RESERVATION_NOT_ACTIVE: {
    'zh-CN': (p) => `预占 ${p.id} 当前状态为 ${p.status}，不能再${p.actionZh}`,
    en: (p) => `Reservation ${p.id} is ${p.status}; it cannot be ${p.action}`,
  },
  TRANSFER_NOT_IN_TRANSIT: {
    'zh-CN': (p) => `调拨单 ${p.docNo} 没有在途数量可收：${p.reason}`,
    en: (p) => `Transfer ${p.docNo} has nothing in transit to receive: ${p.reason}`,
  },
  SERIAL_NOT_AVAILABLE: {
    'zh-CN': () => '序列号已被其他单据使用（已入库或已出库），未做任何更改',
    en: () => 'A serial number was used by another document meanwhile (already in stock or issued); nothing was changed',
  },
  EMPLOYEE_REQUIRED: {
    'zh-CN': () => '此操作需要以员工身份进行（使用绑定了员工的令牌或登录）',
    en: () => 'This needs an employee: use a token bound to an employee, or sign in',
  },
  NOT_AN_ASSIGNEE: {
    'zh-CN': (p) => `您不是单据 ${p.requestNo} 当前步骤的审批人`,
    en: (p) => `You are not an approver of the current step of ${p.requestNo}`,
  },
  REQUEST_FINISHED: {
    'zh-CN': (p) => `单据 ${p.requestNo} 已结束（${p.status}），不能再操作`,
    en: (p) => `Request ${p.requestNo} is already ${p.status}`,
  },
  NOT_REQUESTER: {
    'zh-CN': (p) => `只有申请人可以撤回单据 ${p.requestNo}`,
    en: (p) => `Only the requester can withdraw ${p.requestNo}`,
  },
  INVALID_DELEGATION: {
    'zh-CN': (p) => `不能转办给 ${p.to}：${p.reasonZh}`,
    en: (p) => `Cannot delegate to ${p.to}: ${p.reason}`,
  },
  WRONG_STAGE: {
    'zh-CN': (p) => `单据 ${p.requestNo} 当前不能执行「${p.stage}」，可执行：${p.allowed || '无'}`,
    en: (p) => `${p.requestNo} cannot ${p.stage} now; allowed: ${p.allowed || 'nothing'}`,
  },
  NOT_FULFILLER: {
    'zh-CN': (p) => `您不是单据 ${p.requestNo} 所在仓库的仓管，不能执行出入库步骤`,
    en: (p) => `Only warehouse staff of ${p.requestNo}'s warehouse can confirm fulfilment steps`,
  },
  CONCURRENT_UPDATE: {
    'zh-CN': () => '库存正被其他操作同时修改，请重试',
    en: () => 'Stock was changed concurrently; please retry',
  },
  STOCKTAKE_CLOSED: {
    'zh-CN': (p) => `盘点单 ${p.stocktakeNo} ${p.statusZh}，不能再${p.actionZh}`,
    en: (p) => `Stocktake ${p.stocktakeNo} is ${p.status}; it cannot be ${p.action}`,
  },
  WAREHOUSE_OUT_OF_SCOPE: {
    'zh-CN': (p) => `您无权查看或操作仓库 ${p.warehouse}`,
    en: (p) => `You may not see or act on warehouse ${p.warehouse}`,
  },
  ROLE_REQUIRED: {
    'zh-CN': (p) => `此操作需要以下角色之一：${p.roles}`,
    en: (p) => `This needs one of the roles: ${p.roles}`,
  },
  SESSION_EXPIRED: {
    'zh-CN': () => '登录已过期，请重新进入应用',
    en: () => 'Your session has expired; open the app again to sign in',
  },
  FILE_TOO_LARGE: {
    'zh-CN': (p) => `文件超过 ${p.limitMb} MB 上限，请拆分成几个文件分别导入`,
    en: (p) => `The file is larger than the ${p.limitMb} MB limit; split it into several files`,
  },
  IMPORT_NOT_READY: {
    'zh-CN': (p) => `导入预览 ${p.previewId} 有 ${p.errors} 处错误，请修正文件后重新预览，未做任何更改`,
    en: (p) => `Import preview ${p.previewId} has ${p.errors} error(s); fix the file and preview it again. Nothing was changed`,
  },
  SSO_REFUSED: {
    'zh-CN': (p) => `${p.platform} 登录失败：${p.reason}`,
    en: (p) => `Sign-in through ${p.platform} failed: ${p.reason}`,
  },
  NOT_BOUND: {
    'zh-CN': (p) => `您的${p.platform}账号（${p.userId}）尚未绑定员工，请联系管理员`,
    en: (p) => `Your ${p.platform} account (${p.userId}) is not bound to an employee; ask an administrator`,
  },
  LEDGER_APPEND_ONLY: {
    'zh-CN': () => '库存流水只能追加，不能修改或删除',
    en: () => 'The stock ledger is append-only',
  },
} satisfies Record<string, Messages>;

export type ErrorCode = keyof typeof catalogue;

export function describeError(code: ErrorCode, params: Params, locale: Locale): string {
  return catalogue[code][locale](params);
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Params = {},
    readonly details?: unknown,
  ) {
    super(describeError(code, params, 'en'));
    this.name = new.target.name;
  }
  localized(locale: Locale): string {
    return describeError(this.code, this.params, locale);
  }
}

export class ValidationError extends DomainError {
  constructor(readonly issues: Issue[]) {
    super('VALIDATION_FAILED', { count: issues.length }, { issues: issues.map(({ path, message }) => ({ path, message })) });
  }

  /** Every problem in the reader's language, where its words exist; English otherwise. */
  localizedIssues(locale: Locale): { path: string; message: string }[] {
    return this.issues.map((i) => ({ path: i.path, message: locale === 'zh-CN' ? (i.zh ?? i.message) : i.message }));
  }
}

export class UnauthorizedError extends DomainError {
  constructor() {
    super('UNAUTHORIZED');
  }
}

export class ForbiddenError extends DomainError {
  constructor(scope: string) {
    super('FORBIDDEN', { scope }, { scope });
  }
}

export class NotFoundError extends DomainError {
  constructor(
    kind: 'item' | 'warehouse' | 'location' | 'batch' | 'reservation' | 'document' | 'supplier' | 'customer' | 'employee' | 'request' | 'policy' | 'subscription',
    key: string | number,
  ) {
    const kindZh = {
      item: '物料',
      warehouse: '仓库',
      location: '库位',
      batch: '批次',
      reservation: '预占',
      document: '单据',
      supplier: '供应商',
      customer: '客户',
      employee: '员工',
      request: '申请单',
      policy: '审批流',
      subscription: '群订阅',
    }[kind];
    super('NOT_FOUND', { kind, kindZh, key }, { kind, key });
  }
}

export class DuplicateError extends DomainError {
  constructor(kind: 'item' | 'warehouse' | 'location' | 'supplier' | 'customer' | 'employee', key: string) {
    const kindZh = { item: '物料', warehouse: '仓库', location: '库位', supplier: '供应商', customer: '客户', employee: '员工' }[kind];
    super('DUPLICATE', { kind, kindZh, key }, { kind, key });
  }
}

export class InsufficientStockError extends DomainError {
  constructor(readonly shortage: { item: string; warehouse: string; requested: string; available: string; batch?: string }) {
    super('INSUFFICIENT_STOCK', shortage, shortage);
  }
}

export class IdempotencyConflictError extends DomainError {
  constructor(key: string) {
    super('IDEMPOTENCY_CONFLICT', { key }, { idempotencyKey: key });
  }
}

export class ReservationNotActiveError extends DomainError {
  constructor(id: number, status: string, action: 'released' | 'consumed') {
    const actionZh = action === 'released' ? '释放' : '出库';
    super('RESERVATION_NOT_ACTIVE', { id, status, action, actionZh }, { reservationId: id, status });
  }
}

export class TransferNotInTransitError extends DomainError {
  constructor(docNo: string, reason: string) {
    super('TRANSFER_NOT_IN_TRANSIT', { docNo, reason }, { docNo, reason });
  }
}

export class SerialNotAvailableError extends DomainError {
  constructor() {
    super('SERIAL_NOT_AVAILABLE');
  }
}

export class EmployeeRequiredError extends DomainError {
  constructor() {
    super('EMPLOYEE_REQUIRED');
  }
}

/** The approval workflow refused an action; the code says why. */
export class ApprovalRefusedError extends DomainError {
  constructor(code: 'NOT_AN_ASSIGNEE' | 'REQUEST_FINISHED' | 'NOT_REQUESTER' | 'INVALID_DELEGATION' | 'WRONG_STAGE' | 'NOT_FULFILLER', params: Record<string, unknown>) {
    super(code, params, params);
  }
}

/** The employee's warehouse scope leaves this warehouse out: they may neither see nor act on it. */
export class WarehouseOutOfScopeError extends DomainError {
  constructor(warehouse: string) {
    super('WAREHOUSE_OUT_OF_SCOPE', { warehouse }, { warehouse });
  }
}

export class RoleRequiredError extends DomainError {
  constructor(roles: readonly string[]) {
    super('ROLE_REQUIRED', { roles: roles.join(', ') }, { roles });
  }
}

export class SessionExpiredError extends DomainError {
  constructor() {
    super('SESSION_EXPIRED');
  }
}

/** The messenger refused the sign-in code (expired, used twice, wrong app); `reason` is the platform's own words. */
export class SsoRefusedError extends DomainError {
  constructor(platform: string, reason: string) {
    super('SSO_REFUSED', { platform, reason }, { platform, reason });
  }
}

/** A real platform user, but no employee is bound to them. */
export class NotBoundError extends DomainError {
  constructor(platform: string, userId: string) {
    super('NOT_BOUND', { platform, userId }, { platform, userId });
  }
}

export class ConcurrentUpdateError extends DomainError {
  constructor() {
    super('CONCURRENT_UPDATE');
  }
}
