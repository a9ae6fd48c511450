import { Button, Card, Dialog, Input, List, NoticeBar, Steps, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, clickId, ok, type ApiError } from '../api.ts';
import { Issues } from '../components/issues.tsx';
import { itemForCode } from '../components/item-picker.tsx';
import { PersonPicker, type PickedPerson } from '../components/person-picker.tsx';
import { ScanButton } from '../components/scanner.tsx';
import { useI18n, wordFor } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { useMe } from '../session.tsx';
import { Loaded, money, qty, stageKey, statusKey, typeKey, useLoad, when } from '../ui.tsx';

/**
 * One request: its lines, where the approval stands, the timeline; and what
 * the viewer can do now — decide, delegate, withdraw, or confirm the next
 * warehouse step (with what arrived, for a purchase).
 */
export function RequestPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { me } = useMe();
  const state = useLoad(() => ok(api.requests[':id'].$get({ param: { id } })), [id]);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [delegating, setDelegating] = useState(false);
  const [received, setReceived] = useState<Record<number, { qty: string; batch: string; expiryDate: string; scanned?: boolean }>>({});

  const act = async (run: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      // A warehouse step can be taken and still fail the request (not enough stock at posting): that is no success.
      const result = (await run()) as { failure?: { message: string } | null };
      if (result.failure) Toast.show({ icon: 'fail', content: result.failure.message });
      else Toast.show({ icon: 'success', content: done });
      setComment('');
      await state.reload();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageBar title={state.data?.requestNo ?? ''} />
      <PersonPicker visible={delegating} title={t('appr.delegateTo')} onClose={() => setDelegating(false)} onPick={(p) => void delegateTo(p)} />
      <Loaded state={state}>
        {(r) => {
          const assignee = r.live?.assignees.some((a) => a.code === me.code) ?? false;
          const mine = r.requester.code === me.code;
          const nextStage = r.status === 'approved' ? r.live?.nextStages[0] : undefined;
          const receiving = nextStage === 'receive';
          return (
            <div style={{ paddingBottom: 16 }}>
              <Card title={`${t(typeKey(r.type))} · ${r.requestNo}`} extra={<Tag color={r.status === 'rejected' || r.status === 'failed' ? 'danger' : r.status === 'pending' ? 'warning' : 'success'}>{t(statusKey(r.status))}</Tag>}>
                <div style={{ fontSize: 14, lineHeight: 1.8 }}>
                  <div>{t('req.requester')}: {r.requester.name}</div>
                  <div>
                    {t('req.warehouse')}: {r.warehouse}
                    {r.toWarehouse ? ` → ${r.toWarehouse}` : ''}
                  </div>
                  <div>{t('req.amount')}: {money(r.amount)}</div>
                  {r.stage && <div data-stage={r.stage}>{wordFor(t, 'stage', r.stage)}</div>}
                  {r.live && r.live.assignees.length > 0 && r.status === 'pending' && <div>{t('req.waitingFor', { names: r.live.assignees.map((a) => a.name).join('、') })}</div>}
                </div>
              </Card>
              {failureOf(r.failure) && <div role="alert"><NoticeBar color="error" wrap content={failureOf(r.failure)} /></div>}
              <List header={t('req.lines')}>
                {r.lines.map((l) => (
                  <List.Item
                    key={l.line}
                    data-line={l.item}
                    description={`${l.item}${l.location ? ` · ${t('item.location')} ${l.location}` : ''}${l.batch ? ` · ${l.batch}` : ''}${r.status === 'pending' && r.type !== 'purchase' ? ` · ${t('appr.stockNow')} ${qty(r.available[l.item])}` : ''}`}
                    extra={`${qty(l.qty)} ${l.unit}`}
                  >
                    {l.name}
                    {receiving && (
                      <div style={{ display: 'flex', gap: 4, marginTop: 4 }}>
                        <Input
                          aria-label={`${t('wh.received')} ${l.item}`}
                          placeholder={t('wh.received')}
                          value={received[l.line]?.qty ?? l.qty}
                          onChange={(v) => setReceived((x) => ({ ...x, [l.line]: { batch: '', expiryDate: '', ...x[l.line], qty: v } }))}
                          style={{ '--font-size': '14px', flex: 1 } as React.CSSProperties}
                        />
                        <Input
                          aria-label={`${t('wh.batchNo')} ${l.item}`}
                          placeholder={t('wh.batchNo')}
                          value={received[l.line]?.batch ?? ''}
                          onChange={(v) => setReceived((x) => ({ ...x, [l.line]: { qty: l.qty, expiryDate: '', ...x[l.line], batch: v } }))}
                          style={{ '--font-size': '14px', flex: 1 } as React.CSSProperties}
                        />
                        <Input
                          aria-label={`${t('wh.expiryDate')} ${l.item}`}
                          placeholder="YYYY-MM-DD"
                          value={received[l.line]?.expiryDate ?? ''}
                          onChange={(v) => setReceived((x) => ({ ...x, [l.line]: { qty: l.qty, batch: '', ...x[l.line], expiryDate: v } }))}
                          style={{ '--font-size': '14px', flex: 1 } as React.CSSProperties}
                        />
                      </div>
                    )}
                  </List.Item>
                ))}
              </List>
              {receiving && (
                <div style={{ padding: '8px 12px' }}>
                  <ScanButton
                    label={t('wh.scanReceive')}
                    onCode={(code) => void receiveScanned(code, r.lines)}
                  />
                </div>
              )}
              <Issues error={error} />
              {(assignee || (mine && r.status === 'pending')) && (
                <div style={{ padding: '8px 12px', background: '#fff' }}>
                  <TextArea placeholder={t('appr.comment')} value={comment} onChange={setComment} autoSize={{ minRows: 2 }} />
                </div>
              )}
              <div style={{ display: 'flex', flexDirection: 'column', gap: 8, padding: 12 }}>
                {assignee && (
                  <div style={{ display: 'flex', gap: 8 }}>
                    <Button
                      block
                      color="primary"
                      loading={busy}
                      onClick={() =>
                        void act(() => ok(api.approvals[':id'].decide.$post({ param: { id }, json: { decision: 'approve', clickId: clickId(), ...(comment ? { comment } : {}) } })), t('appr.done', { decision: t('appr.approve') }))
                      }
                    >
                      {t('appr.approve')}
                    </Button>
                    <Button
                      block
                      color="danger"
                      loading={busy}
                      onClick={() =>
                        void act(() => ok(api.approvals[':id'].decide.$post({ param: { id }, json: { decision: 'reject', clickId: clickId(), ...(comment ? { comment } : {}) } })), t('appr.done', { decision: t('appr.reject') }))
                      }
                    >
                      {t('appr.reject')}
                    </Button>
                    <Button block loading={busy} onClick={() => setDelegating(true)}>
                      {t('appr.delegate')}
                    </Button>
                  </div>
                )}
                {mine && r.status === 'pending' && (
                  <Button block loading={busy} onClick={() => void act(() => ok(api.requests[':id'].withdraw.$post({ param: { id }, json: { clickId: clickId(), ...(comment ? { comment } : {}) } })), t('req.withdrawn'))}>
                    {t('req.withdraw')}
                  </Button>
                )}
                {nextStage && (
                  <Button
                    block
                    color="primary"
                    loading={busy}
                    onClick={() =>
                      void act(
                        () =>
                          ok(
                            api.requests[':id'].fulfil.$post({
                              param: { id },
                              json: {
                                stage: nextStage,
                                clickId: clickId(),
                                ...(receiving
                                  ? {
                                      lines: r.lines.map((l) => {
                                        const got = received[l.line];
                                        return { item: l.item, qty: got?.qty ?? l.qty, ...(got?.batch ? { batch: got.batch } : {}), ...(got?.expiryDate ? { expiryDate: got.expiryDate } : {}) };
                                      }),
                                    }
                                  : {}),
                              },
                            }),
                          ),
                        t('wh.done', { stage: t(stageKey(nextStage)) }),
                      )
                    }
                  >
                    {t('wh.confirm', { stage: t(stageKey(nextStage)) })}
                  </Button>
                )}
              </div>
              <Card title={t('req.timeline')}>
                <Steps direction="vertical" current={r.timeline.length - 1}>
                  {r.timeline.map((e, i) => (
                    <Steps.Step key={i} title={wordFor(t, 'event', e.kind)} description={`${when(e.at)}${e.actor ? ` · ${e.actor}` : ''}${commentOf(e.detail)}`} />
                  ))}
                </Steps>
              </Card>
            </div>
          );
        }}
      </Loaded>
    </div>
  );

  /** Each scan of an item's barcode counts one more received; the first scan starts from zero. */
  async function receiveScanned(code: string, lines: { line: number; item: string; qty: string }[]) {
    const item = await itemForCode(code);
    const line = item && lines.find((l) => l.item === item.code);
    if (!line) return void Toast.show({ content: t('scan.notFound', { code }) });
    setReceived((x) => {
      const seen = x[line.line];
      const next = seen?.scanned ? Number(seen.qty) + 1 : 1;
      return { ...x, [line.line]: { batch: '', expiryDate: '', ...seen, qty: String(next), scanned: true } };
    });
  }

  async function delegateTo(person: PickedPerson) {
    setDelegating(false);
    const confirmed = await Dialog.confirm({
      content: t('appr.delegateConfirm', { name: person.name }),
      confirmText: t('common.confirm'),
      cancelText: t('common.cancel'),
    });
    if (confirmed) {
      await act(() => ok(api.approvals[':id'].delegate.$post({ param: { id }, json: { to: person.code, clickId: clickId(), ...(comment ? { comment } : {}) } })), t('appr.delegated', { name: person.name }));
    }
  }
}

const failureOf = (failure: unknown): string | null => {
  const m = (failure as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : null;
};

const commentOf = (detail: unknown) => {
  const c = (detail as { comment?: unknown } | null)?.comment;
  return typeof c === 'string' && c ? ` · “${c}”` : '';
};
