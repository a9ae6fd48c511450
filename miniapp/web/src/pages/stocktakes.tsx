import { Button, CapsuleTabs, Form, List, Selector, Switch, Tag, TextArea } from 'antd-mobile';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, clickId, ok, type ApiError } from '../api.ts';
import { Issues } from '../components/issues.tsx';
import { useI18n, type MessageKey } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { useMe } from '../session.tsx';
import { Loaded, useLoad, when } from '../ui.tsx';

const STATUSES = ['counting', 'submitted', 'cancelled'] as const;
type Status = (typeof STATUSES)[number];

export const stocktakeStatusKey = (s: string) => `st.status.${s}` as MessageKey;
export const stocktakeStatusColor = (s: string) => (s === 'counting' ? 'primary' : s === 'submitted' ? 'success' : 'default');

/** 盘点: open a new count, or pick up one already under way. */
export function StocktakesPage() {
  const { t } = useI18n();
  return (
    <div>
      <PageBar title={t('st.title')} />
      {/* Counts under way first: picking one up again is the common errand, opening one the rarer. */}
      <StocktakeList />
      <CreateForm />
    </div>
  );
}

function CreateForm() {
  const { t } = useI18n();
  const { me } = useMe();
  const navigate = useNavigate();
  const [warehouse, setWarehouse] = useState(me.warehouses[0]?.code ?? '');
  const [locations, setLocations] = useState<string[]>([]);
  const [choices, setChoices] = useState<{ code: string; name: string | null }[]>([]);
  useEffect(() => {
    setLocations([]);
    if (!warehouse) return;
    let live = true;
    void ok(api.warehouses[':code'].locations.$get({ param: { code: warehouse } })).then((r) => live && setChoices(r.locations));
    return () => {
      live = false;
    };
  }, [warehouse]);
  const [blind, setBlind] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);
  // One key per form: a double tap or a retry after a timeout opens one count, not two snapshots.
  const idempotencyKey = useMemo(clickId, []);

  const create = async () => {
    setSending(true);
    setError(null);
    try {
      const created = await ok(
        api.stocktakes.$post({ json: { warehouse, blind, idempotencyKey, ...(locations.length ? { locations } : {}), ...(note ? { note } : {}) } }),
      );
      navigate(`/stocktakes/${created.id}`);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <Form layout="horizontal" mode="card" footer={null}>
        <Form.Header>{t('st.new')}</Form.Header>
        <Form.Item label={t('req.warehouse')}>
          <Selector value={[warehouse]} onChange={(v) => v[0] && setWarehouse(v[0])} options={me.warehouses.map((w) => ({ label: w.name, value: w.code }))} />
        </Form.Item>
        <Form.Item label={t('st.locations')} description={t('st.locationsHelp')}>
          {/* Nothing chosen counts the whole warehouse. */}
          <Selector multiple value={locations} onChange={setLocations} options={choices.map((l) => ({ label: l.name ? `${l.code} ${l.name}` : l.code, value: l.code }))} />
        </Form.Item>
        <Form.Item label={t('st.blind')} description={t('st.blindHelp')} childElementPosition="right">
          <Switch aria-label={t('st.blind')} checked={blind} onChange={setBlind} />
        </Form.Item>
        <Form.Item label={t('req.note')}>
          <TextArea id="stocktake-note" value={note} onChange={setNote} autoSize={{ minRows: 1, maxRows: 3 }} />
        </Form.Item>
      </Form>
      <Issues error={error} />
      <div style={{ padding: '0 12px 12px' }}>
        <Button block color="primary" size="large" loading={sending} disabled={!warehouse} onClick={() => void create()}>
          {t('st.start')}
        </Button>
      </div>
    </>
  );
}

function StocktakeList() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [status, setStatus] = useState<Status | 'all'>('counting');
  const state = useLoad(() => ok(api.stocktakes.$get({ query: status === 'all' ? {} : { status } })), [status]);
  return (
    <div>
      <CapsuleTabs activeKey={status} onChange={(k) => setStatus(k as Status | 'all')}>
        {STATUSES.map((s) => (
          <CapsuleTabs.Tab key={s} title={t(stocktakeStatusKey(s))} />
        ))}
        <CapsuleTabs.Tab key="all" title={t('st.all')} />
      </CapsuleTabs>
      <Loaded state={state}>
        {({ stocktakes }) =>
          stocktakes.length === 0 ? (
            <div style={{ padding: 24, color: '#999', textAlign: 'center' }}>{t('st.none')}</div>
          ) : (
            <List>
              {stocktakes.map((s) => (
                <List.Item
                  key={s.id}
                  data-stocktake={s.stocktakeNo}
                  onClick={() => navigate(`/stocktakes/${s.id}`)}
                  description={[s.warehouse.name, s.locations?.join(' ') ?? t('st.wholeWarehouse'), when(s.snapshotAt), s.createdBy].join(' · ')}
                  extra={<Tag color={stocktakeStatusColor(s.status)}>{t(stocktakeStatusKey(s.status))}</Tag>}
                >
                  {s.stocktakeNo} {s.blind && <Tag fill="outline">{t('st.blind')}</Tag>}
                </List.Item>
              ))}
            </List>
          )
        }
      </Loaded>
    </div>
  );
}
