import type { Digest } from '../../../inventory/reports/digest.ts';
import type { Card } from '../card.ts';
import { expiryText } from './alert.ts';
import type { Links } from '../links.ts';
import { nameOf, say, type Lang } from '../words.ts';

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const signed = (v: string) => (v.startsWith('-') ? `-¥${v.slice(1)}` : `+¥${v}`);

/**
 * 每日库存日报 as a card: the money figures as fields, then one short section
 * per thing that needs someone (shortages, stale stock, expiry, approvals
 * waiting), each with its top rows and "and N more"; the dashboard for the rest.
 * Money only for readers allowed to see cost.
 */
export function digestCard(d: Digest, lang: Lang, links: Links, opts: { showValues: boolean }): Card {
  const none = say(lang, 'noFigure');
  const hidden = (v: string) => (opts.showValues ? v : '');
  const values = d.rolledUp && opts.showValues
    ? [
        {
          label: say(lang, 'stockValueTotal'),
          value: d.value.change === null ? `¥${d.value.closing}` : say(lang, 'changeVsYesterday', { value: `¥${d.value.closing}`, change: signed(d.value.change) }),
        },
        { label: say(lang, 'inboundYesterday'), value: `¥${d.inboundValue}` },
        { label: say(lang, 'outboundYesterday'), value: `¥${d.outboundValue}` },
      ]
    : [];
  const ratios = d.rolledUp
    ? [
        {
          label: say(lang, 'turnover30'),
          value: say(lang, 'trendVs', { now: d.turnover.current?.toFixed(2) ?? none, before: d.turnover.previous?.toFixed(2) ?? none }),
        },
        {
          label: say(lang, 'deadRatio'),
          value: say(lang, 'deadVsWeek', { now: d.deadRatio.current === null ? none : pct(d.deadRatio.current), before: d.deadRatio.weekAgo === null ? none : pct(d.deadRatio.weekAgo) }),
        },
      ]
    : [];

  const notes: string[] = [];
  if (!d.rolledUp) notes.push(say(lang, 'digestNotRolledUp', { day: d.day }));
  const section = (total: number, head: string, lines: string[]) => {
    if (total === 0) return;
    notes.push(head, ...lines);
    if (total > lines.length) notes.push(say(lang, 'moreRows', { n: total - lines.length }));
  };
  section(
    d.shortages.total,
    say(lang, 'shortageHead', { n: d.shortages.total }),
    d.shortages.top.map((s) =>
      say(lang, 'shortageLine', {
        code: s.code,
        name: s.name,
        available: s.available,
        safety: s.safetyStock,
        unit: s.unit,
        supply: s.daysOfSupply === null ? say(lang, 'supplyUnknown') : say(lang, 'supplyDays', { days: s.daysOfSupply }),
      }),
    ),
  );
  section(
    d.stale.total,
    say(lang, 'staleHead', { n: d.stale.total, value: hidden(d.stale.value) }),
    d.stale.top.map((s) => say(lang, 'staleLine', { code: s.code, name: s.name, warehouse: s.warehouse, onHand: s.onHand, unit: s.unit, value: hidden(s.value), days: s.idleDays })),
  );
  section(
    d.expiring.total,
    say(lang, 'expiryHead', { n: d.expiring.total }),
    d.expiring.top.map((e) =>
      say(lang, 'expiryLine', {
        code: e.code,
        name: e.name,
        batch: e.batchNo,
        warehouse: e.warehouse,
        onHand: e.onHand,
        unit: e.unit,
        when: expiryText(lang, e.expiryDate, e.daysLeft),
      }),
    ),
  );
  section(
    d.approvals.total,
    say(lang, 'approvalsHead', { n: d.approvals.total }),
    d.approvals.top.map((a) => say(lang, 'approvalLine', { no: a.requestNo, type: nameOf(lang, a.type), amount: hidden(a.amount), days: a.waitingDays })),
  );
  if (d.rolledUp && d.shortages.total + d.stale.total + d.expiring.total + d.approvals.total === 0) notes.push(say(lang, 'allClear'));

  const attention = d.shortages.total > 0 || d.expiring.top.some((e) => e.daysLeft < 0);
  return {
    title: say(lang, 'digestTitle', { day: d.day, scope: d.scope ? say(lang, 'scopeOne', { warehouse: d.scope.name }) : '' }),
    tone: attention ? 'warning' : 'info',
    fields: [...values, ...ratios],
    notes,
    link: { label: say(lang, 'openDashboard'), url: links.dashboard(d.scope?.code ?? null) },
  };
}
