import { Button, Card, List, NoticeBar, Switch, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { api, ApiError, ok } from '../api.ts';
import { Issues } from '../components/issues.tsx';
import { useI18n } from '../i18n.ts';
import { Loaded, money, qty, useLoad } from '../ui.tsx';
import { asApiError, FIELD, type Sheet } from './stocktake-shared.ts';

const fetchVariance = (id: string, asZero: boolean) => ok(api.stocktakes[':id'].variance.$get({ param: { id }, query: asZero ? { uncountedAsZero: 'true' } : {} }));
type Variance = Awaited<ReturnType<typeof fetchVariance>>;

/** Problems the server placed on sheet lines (`lines[3].qty`), by line index, to show beside the line itself. */
function problemsByLine(error: ApiError | null): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const i of error?.issues ?? []) {
    const m = /^lines\[(\d+)\]/.exec(i.path);
    if (m) out.set(Number(m[1]), [...(out.get(Number(m[1])) ?? []), i.message]);
  }
  return out;
}

/** 盘盈盘亏 and the way to approval: the same switch decides what the report shows and what submit books. */
export function VariancePanel({ id, sheet, reload }: { id: string; sheet: Sheet; reload: () => Promise<void> }) {
  const { t } = useI18n();
  const [asZero, setAsZero] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // The sheet's counts are in the deps so that the report follows every recorded count.
  const state = useLoad(() => fetchVariance(id, asZero), [id, asZero, sheet.summary.counted, sheet.counts.length, sheet.status]);
  const counting = sheet.status === 'counting';

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const done = await ok(api.stocktakes[':id'].submit.$post({ param: { id }, json: { uncountedAsZero: asZero, ...(note ? { note } : {}) } }));
      Toast.show({ icon: 'success', content: t('st.submitted', { no: done.request.requestNo }) });
      await reload();
    } catch (err) {
      setError(asApiError(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      {/* Once submitted, the report shows the figures as they were sent: nothing left to choose. */}
      {counting && (
        <List>
          <List.Item description={t('st.asZeroHelp')} extra={<Switch aria-label={t('st.asZero')} checked={asZero} onChange={setAsZero} />}>
            {t('st.asZero')}
          </List.Item>
        </List>
      )}
      <Loaded state={state}>{(v) => <VarianceReport report={v} problems={problemsByLine(error)} />}</Loaded>
      <Issues error={error} />
      {counting && (
        <div style={{ padding: 12, display: 'flex', flexDirection: 'column', gap: 8 }}>
          <TextArea aria-label={t('st.submitNote')} placeholder={t('st.submitNote')} value={note} onChange={setNote} autoSize={{ minRows: 1, maxRows: 3 }} style={{ ...FIELD, background: '#fff' }} />
          <Button block color="primary" size="large" loading={busy} onClick={() => void submit()}>
            {t('st.submit')}
          </Button>
        </div>
      )}
    </div>
  );
}

function VarianceReport({ report: v, problems }: { report: Variance; problems: Map<number, string[]> }) {
  const { t } = useI18n();
  const tot = v.totals;
  return (
    <>
      {v.warnings.length > 0 && <NoticeBar color="alert" wrap content={t('st.movedWarning', { n: v.warnings.length })} />}
      <Card title={t('st.totals')}>
        <div data-totals style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8, fontSize: 14 }}>
          <Figure label={t('st.countedLines')} value={`${tot.counted} / ${tot.lines}`} />
          <Figure label={t('st.uncountedLines')} value={String(tot.uncounted)} />
          {v.bookVisible && <Figure label={t('st.gain')} value={t('st.nLines', { n: tot.gainLines ?? 0 })} color="#00b578" />}
          {v.bookVisible && <Figure label={t('st.loss')} value={t('st.nLines', { n: tot.lossLines ?? 0 })} color="#ff3141" />}
          {v.valueVisible && <Figure label={t('st.gainValue')} value={money(tot.gainValue)} color="#00b578" />}
          {v.valueVisible && <Figure label={t('st.lossValue')} value={money(tot.lossValue?.replace(/^-/, '') ?? null)} color="#ff3141" />}
          {v.valueVisible && <Figure label={t('st.netValue')} value={signedMoney(tot.netValue)} />}
        </div>
      </Card>
      <List header={t('st.varianceLines')}>
        {v.lines.map((l) => (
          <List.Item
            key={l.line}
            data-variance={l.item.code}
            description={
              <>
                {[l.item.code, l.location, l.batch].filter(Boolean).join(' · ')}
                {l.book !== null && ` · ${t('st.book', { qty: qty(l.book) })} · ${t('st.counted', { qty: l.uncounted ? (v.uncountedAsZero ? '0' : '–') : qty(l.counted) })}`}
                {l.movedSinceSnapshot && <div style={{ color: '#ff8f1f' }}>{t('st.moved', { qty: qty(l.movedSinceSnapshot) })}</div>}
                {problems.get(l.line)?.map((p) => (
                  <div key={p} style={{ color: '#ff3141' }}>
                    {p}
                  </div>
                ))}
              </>
            }
            extra={<VarianceTag line={l} />}
          >
            {l.item.name}
          </List.Item>
        ))}
      </List>
    </>
  );
}

/** "-¥0.24" rather than "¥-0.24": the sign reads before the currency. */
const signedMoney = (v: string | null) => (v?.startsWith('-') ? `-${money(v.slice(1))}` : money(v));

function Figure({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <div>
      <div style={{ color: '#999', fontSize: 12 }}>{label}</div>
      <div style={{ fontSize: 17, color }}>{value}</div>
    </div>
  );
}

function VarianceTag({ line: l }: { line: Variance['lines'][number] }) {
  const { t } = useI18n();
  if (l.variance === null) return l.uncounted ? <Tag color="warning">{t('st.uncounted')}</Tag> : <span>{qty(l.counted)}</span>;
  const n = Number(l.variance);
  const word = n > 0 ? t('st.gainQty', { qty: qty(l.variance) }) : n < 0 ? t('st.lossQty', { qty: qty(l.variance.replace(/^-/, '')) }) : t('st.match');
  return (
    <div style={{ textAlign: 'right' }}>
      <Tag color={n > 0 ? 'success' : n < 0 ? 'danger' : 'default'}>{word}</Tag>
      {l.value !== null && n !== 0 && <div style={{ fontSize: 12 }}>{signedMoney(l.value)}</div>}
    </div>
  );
}
