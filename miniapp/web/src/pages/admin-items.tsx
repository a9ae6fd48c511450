import { Button, Form, Input, List, Popup, SearchBar, Selector } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ok } from '../api.ts';
import { Issues } from '../components/issues.tsx';
import { useI18n, wordFor } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, useLoad } from '../ui.tsx';
import { muted, text, useAdminMeta, useSave, whole } from './admin-form.tsx';

/**
 * 物料: find one by code, name or pinyin initials, or add a new one. There is
 * no editing: the domain has no verb to change an item once created.
 */
export function AdminItemsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), 250);
    return () => clearTimeout(timer);
  }, [q]);
  const state = useLoad(() => ok(api.admin.items.$get({ query: { q: query } })), [query]);
  return (
    <div>
      <PageBar title={t('adm.items')} right={<Button size="mini" color="primary" onClick={() => setCreating(true)}>{t('adm.new')}</Button>} />
      <div style={{ padding: 8, background: '#fff' }}>
        <SearchBar placeholder={t('search.placeholder')} value={q} onChange={setQ} />
      </div>
      <Loaded state={state}>
        {(d) =>
          d.items.length === 0 ? (
            <div style={{ padding: 24, textAlign: 'center', color: '#999' }}>{query ? t('search.empty', { q: query }) : t('adm.noItems')}</div>
          ) : (
            <List>
              {d.items.map((i) => (
                <List.Item key={i.code} data-item={i.code} onClick={() => navigate(`/items/${encodeURIComponent(i.code)}`)} description={[i.code, i.spec, i.category].filter(Boolean).join(' · ')} extra={i.unit} arrowIcon>
                  {i.name}
                </List.Item>
              ))}
            </List>
          )
        }
      </Loaded>
      <Popup visible={creating} onMaskClick={() => setCreating(false)} bodyStyle={{ maxHeight: '90vh', overflowY: 'auto', borderTopLeftRadius: 12, borderTopRightRadius: 12 }} destroyOnClose>
        <NewItemForm
          onDone={(code) => {
            setCreating(false);
            setQ(code);
          }}
          onCancel={() => setCreating(false)}
        />
      </Popup>
    </div>
  );
}

function NewItemForm({ onDone, onCancel }: { onDone: (code: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const meta = useAdminMeta();
  const save = useSave();
  const [f, setF] = useState({ code: '', name: '', spec: '', unit: '', category: '', barcode: '', tracking: 'none', shelfLifeDays: '', safetyStock: '', reorderPoint: '', unitCost: '', altUnit: '', altFactor: '' });
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const submit = async () => {
    const created = await save.run(() =>
      ok(
        api.admin.items.$post({
          json: {
            code: f.code.trim(),
            name: f.name.trim(),
            unit: f.unit.trim(),
            spec: text(f.spec),
            category: text(f.category),
            barcode: text(f.barcode),
            tracking: f.tracking as 'none',
            shelfLifeDays: whole(f.shelfLifeDays),
            safetyStock: text(f.safetyStock),
            reorderPoint: text(f.reorderPoint),
            unitCost: text(f.unitCost),
            ...(text(f.altUnit) || text(f.altFactor) ? { units: [{ unit: f.altUnit.trim(), factor: f.altFactor.trim() }] } : {}),
          },
        }),
      ),
    );
    if (created) onDone(created.code);
  };
  return (
    <div data-form="new-item">
      <div style={{ padding: '12px 16px', fontWeight: 600, fontSize: 17 }}>{t('adm.item.new')}</div>
      <Form layout="horizontal">
        <Form.Item label={t('adm.item.code')} required>
          <Input value={f.code} onChange={set('code')} placeholder="A-1003" clearable />
        </Form.Item>
        <Form.Item label={t('adm.item.name')} required>
          <Input value={f.name} onChange={set('name')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.item.unit')} required>
          <Input value={f.unit} onChange={set('unit')} placeholder={t('adm.item.unitHint')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.item.spec')}>
          <Input value={f.spec} onChange={set('spec')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.item.category')}>
          <Input value={f.category} onChange={set('category')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.item.barcode')}>
          <Input value={f.barcode} onChange={set('barcode')} inputMode="numeric" clearable />
        </Form.Item>
        <Form.Item label={t('adm.item.tracking')} layout="vertical">
          <Selector
            columns={3}
            value={[f.tracking]}
            onChange={(v) => v[0] && set('tracking')(v[0])}
            options={(meta.data?.tracking ?? ['none']).map((k) => ({ label: wordFor(t, 'adm.tracking', k), value: k }))}
          />
        </Form.Item>
        <Form.Item label={t('adm.item.shelfLifeDays')}>
          <Input value={f.shelfLifeDays} onChange={set('shelfLifeDays')} inputMode="numeric" clearable />
        </Form.Item>
        <Form.Item label={t('adm.item.safetyStock')}>
          <Input value={f.safetyStock} onChange={set('safetyStock')} inputMode="decimal" clearable />
        </Form.Item>
        <Form.Item label={t('adm.item.reorderPoint')}>
          <Input value={f.reorderPoint} onChange={set('reorderPoint')} inputMode="decimal" clearable />
        </Form.Item>
        <Form.Item label={t('adm.item.unitCost')}>
          <Input value={f.unitCost} onChange={set('unitCost')} inputMode="decimal" clearable />
        </Form.Item>
        <Form.Item label={t('adm.item.altUnit')} description={<span style={muted}>{t('adm.item.altUnitHelp')}</span>}>
          <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <Input value={f.altUnit} onChange={set('altUnit')} placeholder={t('adm.item.altUnitName')} style={{ flex: 1 }} />
            <span>=</span>
            <Input value={f.altFactor} onChange={set('altFactor')} placeholder={t('adm.item.altFactor')} inputMode="decimal" style={{ flex: 1 }} />
            <span>{f.unit || t('adm.item.unit')}</span>
          </div>
        </Form.Item>
      </Form>
      <Issues error={save.error} />
      <div style={{ display: 'flex', gap: 8, padding: 12 }}>
        <Button block onClick={onCancel}>{t('common.cancel')}</Button>
        <Button block color="primary" loading={save.saving} onClick={() => void submit()}>{t('adm.create')}</Button>
      </div>
    </div>
  );
}
