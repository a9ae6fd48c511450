import { Button, Form, Input, List, SearchBar, Selector, Switch, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ok } from '../api.ts';
import { useI18n, wordFor, type MessageKey } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, useDebounced, useLoad } from '../ui.tsx';
import { changed, FormActions, FormSheet, muted, orNull, text, useAdminMeta, useSave, whole, wholeOrNull } from './admin-form.tsx';

/**
 * 物料: find one by code, name or pinyin initials, add a new one, or tap one
 * to correct it (a retired item is found by its exact code).
 */
export function AdminItemsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const query = useDebounced(q.trim(), 250);
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
                <List.Item
                  key={i.code}
                  data-item={i.code}
                  onClick={() => setEditing(i.code)}
                  description={[i.code, i.spec, i.category].filter(Boolean).join(' · ')}
                  extra={i.active ? i.unit : <Tag color="default">{t('adm.inactive')}</Tag>}
                  arrowIcon
                >
                  {i.name}
                </List.Item>
              ))}
            </List>
          )
        }
      </Loaded>
      <FormSheet open={editing} close={() => setEditing(null)} reload={() => void state.reload()}>
        {(value, done) => (
          <EditItemForm
            code={value}
            onDone={done.saved}
            onCancel={done.cancel}
            onStock={() => navigate(`/items/${encodeURIComponent(value)}`)}
          />
        )}
      </FormSheet>
      <FormSheet open={creating} close={() => setCreating(false)}>
        {(_, done) => (
          <NewItemForm
            onDone={(code) => {
              // The new item is shown by searching for it: the list may be long.
              done.cancel();
              setQ(code);
            }}
            onCancel={done.cancel}
          />
        )}
      </FormSheet>
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
      <FormActions save={save} onCancel={onCancel} onSubmit={() => void submit()} label="adm.create" />
    </div>
  );
}

type ItemForm = {
  name: string; spec: string; unit: string; category: string; barcode: string; tracking: string; shelfLifeDays: string; safetyStock: string;
  reorderPoint: string; leadTimeDays: string; moq: string; packSize: string; defaultSupplier: string; unitCost: string; active: boolean;
  units: { unit: string; factor: string }[];
};

/** The body an edit would send for this form; `changed` then keeps what differs from the loaded item. */
const itemBody = (f: ItemForm) => ({
  name: f.name.trim(),
  spec: orNull(f.spec),
  unit: f.unit.trim(),
  category: orNull(f.category),
  barcode: orNull(f.barcode),
  tracking: f.tracking as 'none' | 'batch' | 'serial',
  shelfLifeDays: wholeOrNull(f.shelfLifeDays),
  safetyStock: text(f.safetyStock) ?? '0',
  reorderPoint: orNull(f.reorderPoint),
  leadTimeDays: wholeOrNull(f.leadTimeDays),
  moq: orNull(f.moq),
  packSize: orNull(f.packSize),
  defaultSupplier: orNull(f.defaultSupplier),
  unitCost: text(f.unitCost) ?? '0',
  active: f.active,
  // A row left wholly blank is an unused slot.
  units: f.units.filter((u) => u.unit.trim() || u.factor.trim()).map((u) => ({ unit: u.unit.trim(), factor: u.factor.trim() })),
});

/**
 * One item's master data. Only what the admin changed is sent; the server
 * refuses a new base unit or tracking once stock has moved, naming the field.
 */
function EditItemForm({ code, onDone, onCancel, onStock }: { code: string; onDone: () => void; onCancel: () => void; onStock: () => void }) {
  const { t } = useI18n();
  const meta = useAdminMeta();
  const save = useSave();
  const state = useLoad(() => ok(api.admin.items[':code'].$get({ param: { code } })), [code]);
  const [loaded, setLoaded] = useState<ItemForm | null>(null);
  const [f, setF] = useState<ItemForm | null>(null);
  useEffect(() => {
    const i = state.data;
    if (!i) return;
    const s = (v: string | number | null) => (v === null ? '' : String(v));
    const form: ItemForm = {
      name: i.name, spec: s(i.spec), unit: i.unit, category: s(i.category), barcode: s(i.barcode), tracking: i.tracking,
      shelfLifeDays: s(i.shelfLifeDays), safetyStock: i.safetyStock, reorderPoint: s(i.reorderPoint), leadTimeDays: s(i.leadTimeDays),
      moq: s(i.moq), packSize: s(i.packSize), defaultSupplier: s(i.defaultSupplier), unitCost: i.unitCost, active: i.active, units: i.units,
    };
    setLoaded(form);
    setF(form);
  }, [state.data]);
  const set = (k: Exclude<keyof ItemForm, 'active' | 'units'>) => (v: string) => setF((x) => (x ? { ...x, [k]: v } : x));
  const setUnit = (i: number, k: 'unit' | 'factor', v: string) => setF((x) => (x ? { ...x, units: x.units.map((u, j) => (j === i ? { ...u, [k]: v } : u)) } : x));
  const submit = async () => {
    if (!f || !loaded) return;
    const json = changed(itemBody(loaded), itemBody(f));
    if (Object.keys(json).length === 0) {
      Toast.show(t('adm.nothingChanged'));
      onCancel();
      return;
    }
    if (await save.run(() => ok(api.admin.items[':code'].$patch({ param: { code }, json })))) onDone();
  };
  const row = (k: Exclude<keyof ItemForm, 'active' | 'units' | 'tracking'>, label: MessageKey, mode?: 'decimal' | 'numeric', help?: MessageKey) =>
    f && (
      <Form.Item label={t(label)} description={help && <span style={muted}>{t(help)}</span>}>
        <Input value={f[k]} onChange={set(k)} inputMode={mode} clearable />
      </Form.Item>
    );
  return (
    <div data-form="edit-item">
      <Loaded state={state}>
        {(item) => (
          <>
            <div style={{ padding: '12px 16px', display: 'flex', alignItems: 'center', gap: 8 }}>
              <div style={{ flex: 1 }}>
                <div style={{ fontWeight: 600, fontSize: 17 }}>{t('adm.item.edit')}</div>
                <div style={muted}>{item.code}</div>
              </div>
              <Button size="small" fill="outline" onClick={onStock}>{t('adm.item.viewStock')}</Button>
            </div>
            {f && (
              <>
                <Form layout="horizontal">
                  {row('name', 'adm.item.name')}
                  {row('spec', 'adm.item.spec')}
                  {row('category', 'adm.item.category')}
                  {row('barcode', 'adm.item.barcode', 'numeric')}
                  {row('safetyStock', 'adm.item.safetyStock', 'decimal')}
                  {row('reorderPoint', 'adm.item.reorderPoint', 'decimal')}
                  {row('leadTimeDays', 'adm.item.leadTimeDays', 'numeric')}
                  {row('moq', 'adm.item.moq', 'decimal')}
                  {row('packSize', 'adm.item.packSize', 'decimal')}
                  {row('defaultSupplier', 'adm.item.defaultSupplier')}
                  {row('unitCost', 'adm.item.unitCost', 'decimal', 'adm.item.unitCostHelp')}
                  {row('shelfLifeDays', 'adm.item.shelfLifeDays', 'numeric')}
                  <Form.Item label={t('adm.active')} description={<span style={muted}>{t('adm.item.activeHelp')}</span>}>
                    <Switch checked={f.active} onChange={(v) => setF((x) => (x ? { ...x, active: v } : x))} />
                  </Form.Item>
                </Form>
                <Form layout="horizontal">
                  <Form.Header>{t('adm.item.history')}</Form.Header>
                  {row('unit', 'adm.item.unit')}
                  <Form.Item label={t('adm.item.tracking')} layout="vertical" description={<span style={muted}>{t('adm.item.lockedHelp')}</span>}>
                    <Selector
                      columns={3}
                      value={[f.tracking]}
                      onChange={(v) => v[0] && set('tracking')(v[0])}
                      options={(meta.data?.tracking ?? [f.tracking]).map((k) => ({ label: wordFor(t, 'adm.tracking', k), value: k }))}
                    />
                  </Form.Item>
                </Form>
                <List header={<span>{t('adm.item.altUnit')} <span style={muted}>{t('adm.item.altUnitHelp')}</span></span>}>
                  {f.units.map((u, i) => (
                    <List.Item key={i} data-unit-row={i}>
                      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
                        <Input value={u.unit} onChange={(v) => setUnit(i, 'unit', v)} placeholder={t('adm.item.altUnitName')} style={{ flex: 1 }} />
                        <span>=</span>
                        <Input value={u.factor} onChange={(v) => setUnit(i, 'factor', v)} placeholder={t('adm.item.altFactor')} inputMode="decimal" style={{ flex: 1 }} />
                        <span>{f.unit}</span>
                        <Button size="mini" fill="none" onClick={() => setF((x) => (x ? { ...x, units: x.units.filter((_, j) => j !== i) } : x))} aria-label={t('adm.remove')}>
                          ✕
                        </Button>
                      </div>
                    </List.Item>
                  ))}
                  <List.Item>
                    <Button size="small" fill="outline" color="primary" onClick={() => setF((x) => (x ? { ...x, units: [...x.units, { unit: '', factor: '' }] } : x))}>
                      {t('adm.item.addUnit')}
                    </Button>
                  </List.Item>
                </List>
              </>
            )}
            <FormActions save={save} onCancel={onCancel} onSubmit={() => void submit()} disabled={!f} />
          </>
        )}
      </Loaded>
    </div>
  );
}
