import { Button, Form, Input, List, Selector, Stepper, TextArea, Toast } from 'antd-mobile';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, ok, type ApiError } from '../api.ts';
import { Issues } from '../components/issues.tsx';
import { ItemPicker, itemForCode, type PickedItem } from '../components/item-picker.tsx';
import { ScanButton } from '../components/scanner.tsx';
import { useI18n, type MessageKey } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { useMe } from '../session.tsx';
import { qty as fmt } from '../ui.tsx';

const TYPES = ['outbound', 'purchase', 'transfer'] as const;
type Kind = (typeof TYPES)[number];
const REASONS = ['sales', 'requisition', 'sample'] as const;

interface Line extends PickedItem {
  qty: number;
}

/**
 * A new outbound, purchase or transfer request: lines by search or scan, the
 * warehouse's available quantity beside each, checked before it is sent and
 * then by the server, whose every objection is shown at once.
 */
export function NewRequestPage() {
  const { t } = useI18n();
  const { me } = useMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [type, setType] = useState<Kind>((TYPES as readonly string[]).includes(params.get('type') ?? '') ? (params.get('type') as Kind) : 'outbound');
  const [reason, setReason] = useState<(typeof REASONS)[number]>('sales');
  const [warehouse, setWarehouse] = useState(me.warehouses[0]?.code ?? '');
  const [toWarehouse, setToWarehouse] = useState('');
  const [partner, setPartner] = useState('');
  const [note, setNote] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [available, setAvailable] = useState<Record<string, string>>({});
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);
  // One key per form: a double tap or a retry after a timeout submits once.
  const idempotencyKey = useMemo(() => `app-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, []);

  useEffect(() => {
    const code = params.get('item');
    if (code) void itemForCode(code).then((item) => item && add(item));
  }, []);

  const codes = lines.map((l) => l.code).join(',');
  useEffect(() => {
    if (!warehouse || !codes) return;
    void ok(api.requests.available.$get({ query: { warehouse, items: codes } })).then((r) => setAvailable(r.available));
  }, [warehouse, codes]);

  function add(item: PickedItem) {
    setLines((ls) => (ls.some((l) => l.code === item.code) ? ls.map((l) => (l.code === item.code ? { ...l, qty: l.qty + 1 } : l)) : [...ls, { ...item, qty: 1 }]));
    setPicking(false);
  }

  const takesStock = type !== 'purchase';
  const over = (l: Line) => takesStock && available[l.code] !== undefined && l.qty > Number(available[l.code]);
  const problems: string[] = [];
  if (lines.length === 0) problems.push(t('req.lines'));
  if (type === 'transfer' && !toWarehouse) problems.push(t('req.toWarehouse'));

  const submit = async () => {
    setSending(true);
    setError(null);
    try {
      const created = await ok(
        api.requests.$post({
          json: {
            type,
            ...(type === 'outbound' ? { reason } : {}),
            warehouse,
            ...(type === 'transfer' ? { toWarehouse } : {}),
            ...(partner ? { partner } : {}),
            ...(note ? { note } : {}),
            lines: lines.map((l) => ({ item: l.code, qty: String(l.qty) })),
            idempotencyKey,
          },
        }),
      );
      Toast.show({ icon: 'success', content: t('req.submitted', { no: created.requestNo }) });
      navigate(`/requests/${created.id}`, { replace: true });
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setSending(false);
    }
  };

  return (
    <div>
      <PageBar title={t('req.new')} />
      <Form layout="horizontal">
        <Form.Item label={t('req.type')}>
          <Selector columns={3} value={[type]} onChange={(v) => v[0] && setType(v[0])} options={TYPES.map((k) => ({ label: t(`req.type.${k}` as MessageKey), value: k }))} />
        </Form.Item>
        {type === 'outbound' && (
          <Form.Item label={t('req.reason')}>
            <Selector columns={3} value={[reason]} onChange={(v) => v[0] && setReason(v[0])} options={REASONS.map((r) => ({ label: t(`req.reason.${r}` as MessageKey), value: r }))} />
          </Form.Item>
        )}
        <Form.Item label={t('req.warehouse')}>
          <Selector columns={3} value={[warehouse]} onChange={(v) => v[0] && setWarehouse(v[0])} options={me.warehouses.map((w) => ({ label: w.name, value: w.code }))} />
        </Form.Item>
        {type === 'transfer' && (
          <Form.Item label={t('req.toWarehouse')}>
            <Selector
              columns={3}
              value={[toWarehouse]}
              onChange={(v) => setToWarehouse(v[0] ?? '')}
              options={me.destinations.filter((w) => w.code !== warehouse).map((w) => ({ label: w.name, value: w.code }))}
            />
          </Form.Item>
        )}
        <Form.Item label={t('req.partner')}>
          <Input value={partner} onChange={setPartner} clearable />
        </Form.Item>
        <Form.Item label={t('req.note')}>
          <TextArea value={note} onChange={setNote} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
      </Form>
      <List
        header={
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <span>{t('req.lines')}</span>
            <span style={{ display: 'flex', gap: 8 }}>
              <ScanButton label={t('req.scanLine')} onCode={(c) => void itemForCode(c).then((i) => (i ? add(i) : Toast.show({ content: t('scan.notFound', { code: c }) })))} />
              <Button size="small" color="primary" fill="outline" onClick={() => setPicking(true)}>
                {t('req.addLine')}
              </Button>
            </span>
          </div>
        }
      >
        {lines.map((l) => (
          <List.Item
            key={l.code}
            data-line={l.code}
            description={
              available[l.code] !== undefined && (
                <span style={{ color: over(l) ? '#ff3141' : undefined }}>
                  {over(l) ? t('req.overAvailable', { qty: fmt(available[l.code]) }) : t('req.availableHere', { qty: `${fmt(available[l.code])} ${l.unit}` })}
                </span>
              )
            }
            extra={
              <Stepper
                min={0}
                value={l.qty}
                onChange={(v) => setLines((ls) => (v === 0 ? ls.filter((x) => x.code !== l.code) : ls.map((x) => (x.code === l.code ? { ...x, qty: v } : x))))}
              />
            }
          >
            {l.name} <span style={{ color: '#999', fontSize: 12 }}>{l.code}</span>
          </List.Item>
        ))}
      </List>
      <Issues error={error} />
      <div style={{ padding: 12 }}>
        <Button block color="primary" size="large" loading={sending} disabled={problems.length > 0 || lines.some(over)} onClick={() => void submit()}>
          {t('req.submit')}
        </Button>
      </div>
      <ItemPicker visible={picking} onClose={() => setPicking(false)} onPick={add} />
    </div>
  );
}
