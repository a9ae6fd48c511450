import type { AlertDetails, StoredAlert } from '../../../inventory/reports/alerts.ts';
import type { SafetyStockSuggestion } from '../../../inventory/reports/safety-review.ts';
import type { Card } from '../card.ts';
import type { Links } from '../links.ts';
import { nameOf, say, type Lang } from '../words.ts';

/** "expires on … (in N days)" or "expired on …", for a batch. */
export const expiryText = (lang: Lang, date: string, daysLeft: number): string =>
  daysLeft < 0 ? say(lang, 'expiredOn', { date }) : say(lang, 'expiresIn', { date, days: daysLeft });

export function alertTitle(d: AlertDetails, lang: Lang): string {
  if (d.kind === 'integrity') {
    if (d.source === 'check') return say(lang, 'alertCheckTitle', { n: d.problems });
    if (d.source === 'refused') return say(lang, 'alertRefusedTitle', { name: d.name, code: d.code, warehouse: d.warehouse });
    return say(lang, 'alertFulfilmentTitle', { no: d.requestNo, type: nameOf(lang, d.requestType) });
  }
  const key = { shortage: 'alertShortageTitle', stale: 'alertStaleTitle', expiry: 'alertExpiryTitle', fifo: 'alertFifoTitle' } as const;
  return say(lang, key[d.kind], { name: d.name, code: d.code, warehouse: d.warehouse });
}

/**
 * 预警 as a card, with the buttons that start the decision it calls for:
 * a purchase of the suggested quantity or a transfer from a warehouse with
 * surplus (shortage), a transfer away (stale), and 我来处理 to take it on.
 */
export function alertCard(alertId: number, d: AlertDetails, lang: Lang, links: Links): Card {
  const ack = { label: say(lang, 'acknowledge'), value: { act: 'alert_ack', alert: alertId } };
  const title = alertTitle(d, lang);
  if (d.kind === 'integrity') {
    if (d.source === 'refused') {
      return {
        title,
        tone: 'danger',
        fields: [{ label: say(lang, 'refusals24h'), value: String(d.refusals) }],
        notes: [say(lang, 'refusedNote', { requested: `${d.requested} ${d.unit}`, available: `${d.available} ${d.unit}` })],
        buttons: [ack],
        link: { label: say(lang, 'openItem'), url: links.item(d.code) },
      };
    }
    return d.source === 'check'
      ? { title, tone: 'danger', notes: [say(lang, 'alertCheckNote'), ...d.sample], buttons: [ack] }
      : {
          title,
          tone: 'danger',
          fields: [
            { label: say(lang, 'warehouse'), value: d.warehouse },
            { label: say(lang, 'failure'), value: d.reason },
          ],
          buttons: [{ label: say(lang, 'viewRequest'), value: { act: 'view', req: d.requestId } }, ack],
          link: { label: say(lang, 'openItem'), url: links.request(d.requestId) },
        };
  }
  const q = (v: string) => `${v} ${d.unit}`;
  const link = { label: say(lang, 'openItem'), url: links.item(d.code) };
  switch (d.kind) {
    case 'shortage':
      return {
        title,
        tone: 'danger',
        fields: [
          { label: say(lang, 'available'), value: q(d.available) },
          { label: say(lang, 'safetyStock'), value: q(d.safetyStock) },
          ...(d.suggestedQty !== '0' ? [{ label: say(lang, 'suggestedPurchase'), value: q(d.suggestedQty) }] : []),
        ],
        notes: d.surplus ? [say(lang, 'surplusAt', { warehouse: d.surplus.warehouse, qty: q(d.surplus.qty) })] : [],
        buttons: [
          ...(d.suggestedQty !== '0'
            ? [{ label: say(lang, 'buySuggested', { qty: d.suggestedQty, unit: d.unit }), style: 'primary' as const, value: { act: 'propose', type: 'purchase', item: d.code, qty: d.suggestedQty, wh: d.warehouseCode } }]
            : []),
          ...(d.surplus
            ? [{ label: say(lang, 'transferFrom', { warehouse: d.surplus.warehouse }), value: { act: 'propose', type: 'transfer', item: d.code, qty: d.surplus.qty, wh: d.surplus.warehouseCode, to: d.warehouseCode } }]
            : []),
          ack,
        ],
        link,
      };
    case 'stale':
      return {
        title,
        tone: 'warning',
        fields: [
          { label: say(lang, 'onHand'), value: q(d.onHand) },
          { label: say(lang, 'stockValue'), value: `¥${d.value}` },
          { label: say(lang, 'idleDays'), value: String(d.idleDays) },
          ...(d.daysOfSupply !== null ? [{ label: say(lang, 'daysOfSupply'), value: String(d.daysOfSupply) }] : []),
        ],
        buttons: [{ label: say(lang, 'transferAway'), value: { act: 'propose', type: 'transfer', item: d.code, qty: d.onHand, wh: d.warehouseCode } }, ack],
        link,
      };
    case 'expiry':
      return {
        title,
        tone: d.daysLeft < 0 ? 'danger' : 'warning',
        fields: [
          { label: say(lang, 'batchExpiry'), value: `${d.batchNo} · ${expiryText(lang, d.expiryDate, d.daysLeft)}` },
          { label: say(lang, 'onHand'), value: q(d.onHand) },
        ],
        buttons: [ack],
        link,
      };
    case 'fifo':
      return {
        title,
        tone: 'warning',
        notes: [say(lang, 'fifoNote', { issued: d.issuedBatchNo, batch: d.batchNo, qty: q(d.onHand), expiry: d.expiryDate ?? '—' })],
        buttons: [ack],
        link,
      };
  }
}

/** The short note when the condition clears. */
export function resolvedCard(d: AlertDetails, lang: Lang): Card {
  return { title: say(lang, 'alertResolved', { title: alertTitle(d, lang) }), tone: 'success' };
}

const LIST_ROWS = 10;
const LIST_KIND = { shortage: 'alertKindShortage', stale: 'alertKindStale', expiry: 'alertKindExpiry', fifo: 'alertKindFifo', integrity: 'alertKindIntegrity' } as const;

/** Many alerts of one kind at once: one card listing the worst, the rest counted, each item a tap away. */
export function alertListCard(alerts: readonly StoredAlert[], lang: Lang, links: Links): Card {
  const kind = alerts[0]!.details.kind;
  const line = (d: AlertDetails) => {
    switch (d.kind) {
      case 'integrity':
        return `· ${alertTitle(d, lang)}`;
      case 'shortage':
        return say(lang, 'shortageListLine', { code: d.code, name: d.name, warehouse: d.warehouse, available: d.available, safety: d.safetyStock, unit: d.unit });
      case 'stale':
        return say(lang, 'staleLine', { code: d.code, name: d.name, warehouse: d.warehouse, onHand: d.onHand, unit: d.unit, value: d.value, days: d.idleDays });
      case 'expiry':
        return say(lang, 'expiryLine', {
          code: d.code,
          name: d.name,
          batch: d.batchNo,
          warehouse: d.warehouse,
          onHand: d.onHand,
          unit: d.unit,
          when: expiryText(lang, d.expiryDate, d.daysLeft),
        });
      case 'fifo':
        return `· ${alertTitle(d, lang)}：${say(lang, 'fifoNote', { issued: d.issuedBatchNo, batch: d.batchNo, qty: `${d.onHand} ${d.unit}`, expiry: d.expiryDate ?? '—' })}`;
    }
  };
  const shown = alerts.slice(0, LIST_ROWS);
  return {
    title: say(lang, 'alertListTitle', { kind: say(lang, LIST_KIND[kind]), n: alerts.length }),
    tone: kind === 'shortage' ? 'danger' : 'warning',
    notes: [...shown.map((a) => line(a.details)), ...(alerts.length > shown.length ? [say(lang, 'moreRows', { n: alerts.length - shown.length })] : [])],
    buttons: shown.slice(0, 5).flatMap((a) => (!('code' in a.details) ? [] : [{ label: `${a.details.name} ${a.details.code}`, value: { act: 'stock', item: a.details.code, wh: a.details.warehouseCode } }])),
    link: { label: say(lang, 'openDashboard'), url: links.dashboard(null) },
  };
}

/** 安全库存复核: the weekly suggestions, biggest changes first; changing them stays a person's call. */
export function safetyReviewCard(suggestions: readonly SafetyStockSuggestion[], lang: Lang, links: Links): Card {
  const shown = suggestions.slice(0, LIST_ROWS);
  return {
    title: say(lang, 'safetyReviewTitle', { n: suggestions.length }),
    notes: [
      say(lang, 'safetyReviewNote'),
      ...shown.map((x) => say(lang, 'safetyReviewLine', { code: x.code, name: x.name, from: x.current, to: x.suggested, unit: x.unit, days: x.leadTimeDays })),
      ...(suggestions.length > shown.length ? [say(lang, 'moreRows', { n: suggestions.length - shown.length })] : []),
    ],
    link: { label: say(lang, 'openDashboard'), url: links.dashboard(null) },
  };
}
