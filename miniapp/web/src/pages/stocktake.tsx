import { Button, Card, Dialog, Input, List, NoticeBar, Selector, Tabs, Tag, Toast, type InputRef } from 'antd-mobile';
import { useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, ApiError, clickId, ok } from '../api.ts';
import { Issues } from '../components/issues.tsx';
import { ScanButton } from '../components/scanner.tsx';
import { useI18n } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, qty, statusKey, useLoad, when } from '../ui.tsx';
import { asApiError, fetchSheet, FIELD, type Sheet } from './stocktake-shared.ts';
import { VariancePanel } from './stocktake-variance.tsx';
import { stocktakeStatusColor, stocktakeStatusKey } from './stocktakes.tsx';

type Prefill = { item: string; location: string; at: number };

/**
 * One count: record what is on the shelf by scan or by typing, watch the
 * sheet fill up, see 盘盈盘亏 and submit it for approval, or cancel it.
 */
export function StocktakePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const state = useLoad(() => fetchSheet(id), [id]);
  const [tab, setTab] = useState<string | null>(null);
  const [prefill, setPrefill] = useState<Prefill | null>(null);
  return (
    <div>
      <PageBar title={state.data?.stocktakeNo ?? t('st.title')} />
      <Loaded state={state}>
        {(s) => {
          const counting = s.status === 'counting';
          const active = tab ?? (counting ? 'count' : 'variance');
          return (
            <div style={{ paddingBottom: 16 }}>
              <Header sheet={s} reload={state.reload} />
              <Tabs activeKey={active} onChange={setTab} style={{ background: '#fff', '--title-font-size': '15px' } as React.CSSProperties}>
                {counting && (
                  <Tabs.Tab key="count" title={t('st.tab.count')}>
                    <CountForm key={prefill?.at ?? 0} id={id} prefill={prefill} onCounted={state.reload} />
                    <Entries id={id} sheet={s} reload={state.reload} />
                  </Tabs.Tab>
                )}
                <Tabs.Tab key="lines" title={t('st.tab.lines', { counted: s.summary.counted, lines: s.summary.lines })}>
                  <Lines
                    sheet={s}
                    onPick={(l) => {
                      if (!counting) return;
                      setPrefill({ item: l.item.code, location: l.location, at: Date.now() });
                      setTab('count');
                    }}
                  />
                </Tabs.Tab>
                <Tabs.Tab key="variance" title={t('st.tab.variance')}>
                  <VariancePanel id={id} sheet={s} reload={state.reload} />
                </Tabs.Tab>
              </Tabs>
            </div>
          );
        }}
      </Loaded>
    </div>
  );
}

function Header({ sheet: s, reload }: { sheet: Sheet; reload: () => Promise<void> }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [error, setError] = useState<ApiError | null>(null);
  const cancel = async () => {
    const sure = await Dialog.confirm({ content: t('st.cancelConfirm', { no: s.stocktakeNo }), confirmText: t('st.cancel'), cancelText: t('common.cancel') });
    if (!sure) return;
    try {
      await ok(api.stocktakes[':id'].cancel.$post({ param: { id: String(s.id) }, json: {} }));
      Toast.show({ content: t('st.cancelled') });
      await reload();
    } catch (err) {
      setError(asApiError(err, t));
    }
  };
  return (
    <>
      <Card
        title={`${s.warehouse.name} · ${s.locations?.join(' ') ?? t('st.wholeWarehouse')}`}
        extra={<Tag color={stocktakeStatusColor(s.status)}>{t(stocktakeStatusKey(s.status))}</Tag>}
      >
        <div style={{ fontSize: 14, lineHeight: 1.8 }}>
          <div>
            {t('st.snapshot', { at: when(s.snapshotAt) })} {s.blind && <Tag fill="outline">{t('st.blind')}</Tag>}
          </div>
          <div data-summary>{t('st.progress', { counted: s.summary.counted, lines: s.summary.lines, uncounted: s.summary.uncounted })}</div>
          {s.note && <div style={{ color: '#666' }}>{s.note}</div>}
        </div>
      </Card>
      {!s.bookVisible && <NoticeBar content={t('st.blindNotice')} wrap />}
      {s.request && (
        <List>
          <List.Item data-request-link onClick={() => navigate(`/requests/${s.request?.id}`)} extra={s.request.status && <Tag color="warning">{t(statusKey(s.request.status))}</Tag>}>
            {t('st.request', { no: s.request.requestNo ?? '' })}
          </List.Item>
        </List>
      )}
      <Issues error={error} />
      {s.status === 'counting' && (
        <div style={{ textAlign: 'right', padding: '4px 12px' }}>
          <Button size="mini" fill="none" color="danger" onClick={() => void cancel()}>
            {t('st.cancel')}
          </Button>
        </div>
      )}
    </>
  );
}

type Answer = Awaited<ReturnType<typeof postCount>>['entries'][number];
const postCount = (id: string, entry: { entryId: string; item: string; qty: string; mode: 'add' | 'set'; location?: string; batch?: string }) =>
  ok(api.stocktakes[':id'].counts.$post({ param: { id }, json: { entries: [entry] } }));

/** Scan or type the item, then the quantity: one tap records it; the thumb never leaves the bottom half. */
function CountForm({ id, prefill, onCounted }: { id: string; prefill: Prefill | null; onCounted: () => Promise<void> }) {
  const { t } = useI18n();
  const qtyInput = useRef<InputRef>(null);
  const [item, setItem] = useState(prefill?.item ?? '');
  const [amount, setAmount] = useState('1');
  const [mode, setMode] = useState<'add' | 'set'>('add');
  const [location, setLocation] = useState(prefill?.location ?? '');
  const [batch, setBatch] = useState('');
  const [last, setLast] = useState<Answer | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // The id follows the content: a second tap after a lost answer resends the same entry (counted once); any change is a new entry.
  const entryId = useMemo(clickId, [item, amount, mode, location, batch]);

  const scanned = (code: string) => {
    setItem(code);
    qtyInput.current?.focus();
  };
  const record = async () => {
    setBusy(true);
    setError(null);
    try {
      const { entries } = await postCount(id, { entryId, item: item.trim(), qty: amount.trim(), mode, ...(location.trim() ? { location: location.trim() } : {}), ...(batch.trim() ? { batch: batch.trim() } : {}) });
      setLast(entries[0] ?? null);
      setItem('');
      setAmount('1');
      setBatch('');
      await onCounted();
    } catch (err) {
      setError(asApiError(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ background: '#fff', padding: 12, display: 'flex', flexDirection: 'column', gap: 10 }}>
      <Row>
        <Input aria-label={t('st.item')} placeholder={t('st.itemPlaceholder')} value={item} onChange={setItem} clearable style={FIELD} />
        <ScanButton onCode={scanned} />
      </Row>
      <Row>
        <Input ref={qtyInput} aria-label={t('st.qty')} placeholder={t('st.qty')} inputMode="decimal" value={amount} onChange={setAmount} style={FIELD} />
        <Selector
          value={[mode]}
          onChange={(v) => v[0] && setMode(v[0])}
          options={[
            { label: t('st.mode.add'), value: 'add' },
            { label: t('st.mode.set'), value: 'set' },
          ]}
        />
      </Row>
      <Row>
        <Input aria-label={t('st.location')} placeholder={t('st.locationOptional')} value={location} onChange={setLocation} clearable style={FIELD} />
        <Input aria-label={t('st.batch')} placeholder={t('st.batchOptional')} value={batch} onChange={setBatch} clearable style={FIELD} />
      </Row>
      <div style={{ fontSize: 12, color: '#999' }}>{mode === 'add' ? t('st.mode.addHelp') : t('st.mode.setHelp')}</div>
      <Button block color="primary" size="large" loading={busy} disabled={!item.trim() || !amount.trim()} onClick={() => void record()}>
        {t('st.record')}
      </Button>
      <Issues error={error} />
      {last && <LastCount answer={last} />}
    </div>
  );
}

const Row = ({ children }: { children: React.ReactNode }) => <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>{children}</div>;

/** What the last tap did to its spot: the running figure counters call out to each other. */
function LastCount({ answer }: { answer: Answer }) {
  const { t } = useI18n();
  if (answer.problem) return <NoticeBar color="alert" wrap content={t('st.kept', { problem: answer.problem })} />;
  if (!answer.slot) return null;
  const s = answer.slot;
  return (
    <div data-last-count style={{ background: '#f0f7ff', borderRadius: 8, padding: '10px 12px', fontSize: 15 }}>
      <div>
        {s.name} <span style={{ color: '#999', fontSize: 12 }}>{s.item}</span>
      </div>
      <div>
        {[s.location, s.batch].filter(Boolean).join(' · ')} {t('st.countedNow')} <b style={{ fontSize: 20 }}>{qty(s.counted)}</b>
      </div>
      {answer.status === 'repeated' && <div style={{ color: '#999', fontSize: 12 }}>{t('st.repeated')}</div>}
    </div>
  );
}

/** Every count as recorded, newest first; a mis-scan is taken back here and stays visible, struck out. */
function Entries({ id, sheet, reload }: { id: string; sheet: Sheet; reload: () => Promise<void> }) {
  const { t } = useI18n();
  const [error, setError] = useState<ApiError | null>(null);
  const entries = sheet.counts.flatMap((c) => (c ? [c] : [])).reverse();
  if (entries.length === 0) return null;
  const undo = async (entryId: string) => {
    try {
      await ok(api.stocktakes[':id'].counts[':entryId'].$delete({ param: { id, entryId } }));
      await reload();
    } catch (err) {
      setError(asApiError(err, t));
    }
  };
  return (
    <List header={t('st.entries')}>
      <Issues error={error} />
      {entries.map((e) => (
        <List.Item
          key={e.entryId}
          data-entry={e.item}
          description={
            <>
              {[e.location, e.batch, e.countedBy, when(e.countedAt)].filter(Boolean).join(' · ')}
              {e.problem && <div style={{ color: '#ff3141' }}>{e.problem}</div>}
            </>
          }
          extra={
            e.voided ? (
              <span style={{ color: '#999' }}>{t('st.voided')}</span>
            ) : (
              <Button size="mini" onClick={() => void undo(e.entryId)}>
                {t('st.undo')}
              </Button>
            )
          }
        >
          <span style={{ textDecoration: e.voided ? 'line-through' : undefined }}>
            {e.matched ? `${e.matched.name} ` : ''}
            <span style={{ color: '#999', fontSize: 12 }}>{e.item}</span> {e.mode === 'set' ? '=' : '+'}
            {qty(e.qty)}
          </span>
        </List.Item>
      ))}
    </List>
  );
}

/** The sheet: every spot to count, what it has so far, and the book when the viewer may see it. */
function Lines({ sheet, onPick }: { sheet: Sheet; onPick: (l: Sheet['lines'][number]) => void }) {
  const { t } = useI18n();
  if (sheet.lines.length === 0) return <div style={{ padding: 24, color: '#999', textAlign: 'center' }}>{t('st.noLines')}</div>;
  return (
    <List>
      {sheet.lines.map((l) => (
        <List.Item
          key={l.line}
          data-line={l.item.code}
          onClick={() => onPick(l)}
          description={
            <>
              {[l.item.code, l.location, l.batch].filter(Boolean).join(' · ')}
              {l.movedSinceSnapshot && <div style={{ color: '#ff8f1f' }}>{t('st.moved', { qty: qty(l.movedSinceSnapshot) })}</div>}
            </>
          }
          extra={
            <div style={{ textAlign: 'right' }}>
              {l.uncounted ? <Tag color="warning">{t('st.uncounted')}</Tag> : <div style={{ color: '#333', fontSize: 17 }}>{`${qty(l.counted)} ${l.item.unit}`}</div>}
              {l.book !== null && <div style={{ fontSize: 12 }}>{t('st.book', { qty: qty(l.book) })}</div>}
            </div>
          }
        >
          {l.item.name}
        </List.Item>
      ))}
    </List>
  );
}
