/** A message for a person (new task, reminder, escalation, outcome), already recorded in the outbox. */
export interface Notification {
  /** Stable across retries: the platforms' dedupe key (Feishu `uuid`, …). */
  key: string;
  companyId: number;
  requestId: number;
  kind: string;
  recipientId: number;
  detail: Record<string, unknown>;
}

/**
 * Where approval messages go. The chat platforms plug in here; until then the
 * `notifications` table (written in the same transaction as the projection) is
 * the record of everything that would be sent.
 */
export interface Notifier {
  send(n: Notification): Promise<void>;
  /** The request changed (a decision, a new status): cards already sent about it may be redrawn. Must not block. */
  changed?(companyId: number, requestId: number): Promise<void>;
}

/** Keeps messages in memory: the local console and tests read them. */
export class MemoryNotifier implements Notifier {
  readonly sent: Notification[] = [];
  async send(n: Notification): Promise<void> {
    this.sent.push(n);
  }
}
