import { Button, Form, Input, List, Switch, Tag, Toast } from 'antd-mobile';
import { useState, type ReactNode } from 'react';
import { api, ok } from '../api.ts';
import { Issues } from '../components/issues.tsx';
import { useI18n } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, useLoad } from '../ui.tsx';
import { changed, FormActions, FormSheet, muted, orNull, text, useSave } from './admin-form.tsx';

/**
 * 仓库与库位: each warehouse with its locations, and a new warehouse with as
 * many locations as it needs. The default and transit locations come with it.
 * A warehouse can be renamed, given other aliases, more locations, or retired.
 */
export function AdminWarehousesPage() {
  const { t } = useI18n();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<WarehouseRow | null>(null);
  const state = useLoad(() => ok(api.admin.warehouses.$get()), []);
  return (
    <div>
      <PageBar title={t('adm.warehouses')} right={<Button size="mini" color="primary" onClick={() => setCreating(true)}>{t('adm.new')}</Button>} />
      <Loaded state={state}>
        {(d) => (
          <>
            {d.warehouses.map((w) => (
              <List
                key={w.code}
                data-warehouse={w.code}
                header={
                  <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                    <span style={{ flex: 1 }}>
                      <b style={{ color: '#333', fontSize: 15 }}>{w.name}</b> <span style={muted}>{[w.code, ...w.aliases].join(' · ')}</span>{' '}
                      {!w.active && <Tag color="default">{t('adm.inactive')}</Tag>}
                    </span>
                    <Button size="mini" fill="outline" color="primary" onClick={() => setEditing(w)}>{t('adm.edit')}</Button>
                  </div>
                }
              >
                {w.address && <List.Item description={t('adm.wh.address')}>{w.address}</List.Item>}
                <List.Item description={t('adm.wh.locationCount', { n: w.locations.length })}>
                  <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
                    {w.locations.map((l) => (
                      <Tag key={l.code} color={l.kind === 'transit' ? 'warning' : 'primary'} fill="outline" style={{ fontSize: 13, padding: '2px 6px' }}>
                        {l.code} {l.name !== l.code && <span style={{ color: '#666' }}>{l.name}</span>}
                      </Tag>
                    ))}
                  </div>
                </List.Item>
              </List>
            ))}
          </>
        )}
      </Loaded>
      <FormSheet open={editing} close={() => setEditing(null)} reload={() => void state.reload()}>
        {(value, done) => (
          <EditWarehouseForm
            warehouse={value}
            onDone={done.saved}
            onCancel={done.cancel}
          />
        )}
      </FormSheet>
      <FormSheet open={creating} close={() => setCreating(false)} reload={() => void state.reload()}>
        {(_, done) => <NewWarehouseForm onDone={done.saved} onCancel={done.cancel} />}
      </FormSheet>
    </div>
  );
}

function NewWarehouseForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const save = useSave();
  const [f, setF] = useState({ code: '', name: '', aliases: '', address: '' });
  const [locations, setLocations] = useState<LocationRow[]>([{ code: '', name: '' }]);
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const submit = async () => {
    // A row left wholly blank is an unused slot, not a location without a code.
    const named = locations.filter((l) => l.code.trim() || l.name.trim()).map((l) => ({ code: l.code.trim(), name: l.name.trim() }));
    const aliases = f.aliases.split(/[,，、\s]+/).filter(Boolean);
    const created = await save.run(() =>
      ok(
        api.admin.warehouses.$post({
          json: { code: f.code.trim(), name: f.name.trim(), address: text(f.address), ...(aliases.length ? { aliases } : {}), ...(named.length ? { locations: named } : {}) },
        }),
      ),
    );
    if (created) onDone();
  };
  return (
    <div data-form="new-warehouse">
      <div style={{ padding: '12px 16px', fontWeight: 600, fontSize: 17 }}>{t('adm.wh.new')}</div>
      <Form layout="horizontal">
        <Form.Item label={t('adm.wh.code')} required>
          <Input value={f.code} onChange={set('code')} placeholder="BJ" clearable />
        </Form.Item>
        <Form.Item label={t('adm.wh.name')} required>
          <Input value={f.name} onChange={set('name')} placeholder={t('adm.wh.namePlaceholder')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.wh.aliases')} description={<span style={muted}>{t('adm.wh.aliasesHelp')}</span>}>
          <Input value={f.aliases} onChange={set('aliases')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.wh.address')}>
          <Input value={f.address} onChange={set('address')} clearable />
        </Form.Item>
      </Form>
      <LocationRows header={<span>{t('adm.wh.locations')} <span style={muted}>{t('adm.wh.locationsHelp')}</span></span>} rows={locations} onChange={setLocations} />
      <FormActions save={save} onCancel={onCancel} onSubmit={() => void submit()} label="adm.create" />
    </div>
  );
}

type WarehouseRow = { code: string; name: string; aliases: string[]; address: string | null; active: boolean };
type WarehouseForm = { name: string; aliases: string; address: string; active: boolean };

const splitAliases = (s: string) => s.split(/[,，、\s]+/).filter(Boolean);
const warehouseBody = (f: WarehouseForm) => ({ name: f.name.trim(), aliases: splitAliases(f.aliases), address: orNull(f.address), active: f.active });

/**
 * One warehouse: its name, aliases, address and whether it is in use, saved
 * together; new locations are added apart, with their own button, so that a
 * problem with one never holds back the other.
 */
function EditWarehouseForm({ warehouse: w, onDone, onCancel }: { warehouse: WarehouseRow; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const save = useSave();
  const adding = useSave();
  const loaded: WarehouseForm = { name: w.name, aliases: w.aliases.join('，'), address: w.address ?? '', active: w.active };
  const [f, setF] = useState<WarehouseForm>(loaded);
  const [locations, setLocations] = useState<LocationRow[]>([{ code: '', name: '' }]);
  const submit = async () => {
    const json = changed(warehouseBody(loaded), warehouseBody(f));
    if (Object.keys(json).length === 0) {
      Toast.show(t('adm.nothingChanged'));
      return;
    }
    if (await save.run(() => ok(api.admin.warehouses[':code'].$patch({ param: { code: w.code }, json })))) onDone();
  };
  const addLocations = async () => {
    const named = locations.filter((l) => l.code.trim() || l.name.trim()).map((l) => ({ code: l.code.trim(), name: l.name.trim() }));
    if (named.length === 0) {
      Toast.show(t('adm.nothingChanged'));
      return;
    }
    if (await adding.run(() => ok(api.admin.warehouses[':code'].locations.$post({ param: { code: w.code }, json: { locations: named } })))) onDone();
  };
  return (
    <div data-form="edit-warehouse">
      <div style={{ padding: '12px 16px' }}>
        <div style={{ fontWeight: 600, fontSize: 17 }}>{t('adm.wh.edit')}</div>
        <div style={muted}>{w.code}</div>
      </div>
      <Form layout="horizontal">
        <Form.Item label={t('adm.wh.name')}>
          <Input value={f.name} onChange={(v) => setF((x) => ({ ...x, name: v }))} clearable />
        </Form.Item>
        <Form.Item label={t('adm.wh.aliases')} description={<span style={muted}>{t('adm.wh.aliasesHelp')}</span>}>
          <Input value={f.aliases} onChange={(v) => setF((x) => ({ ...x, aliases: v }))} clearable />
        </Form.Item>
        <Form.Item label={t('adm.wh.address')}>
          <Input value={f.address} onChange={(v) => setF((x) => ({ ...x, address: v }))} clearable />
        </Form.Item>
        <Form.Item label={t('adm.active')} description={<span style={muted}>{t('adm.wh.activeHelp')}</span>}>
          <Switch checked={f.active} onChange={(v) => setF((x) => ({ ...x, active: v }))} />
        </Form.Item>
      </Form>
      <FormActions save={save} onCancel={onCancel} onSubmit={() => void submit()} />
      <LocationRows header={<span>{t('adm.wh.newLocations')} <span style={muted}>{t('adm.wh.newLocationsHelp')}</span></span>} rows={locations} onChange={setLocations} />
      <Issues error={adding.error} />
      <div style={{ padding: 12 }}>
        <Button block color="primary" fill="outline" loading={adding.saving} onClick={() => void addLocations()}>{t('adm.wh.addLocations')}</Button>
      </div>
    </div>
  );
}

type LocationRow = { code: string; name: string };

/** Rows of new locations (code and name), added and removed one by one: the same in the create and the edit sheet. */
function LocationRows({ header, rows, onChange }: { header: ReactNode; rows: LocationRow[]; onChange: (rows: LocationRow[]) => void }) {
  const { t } = useI18n();
  const set = (i: number, k: keyof LocationRow, v: string) => onChange(rows.map((l, j) => (j === i ? { ...l, [k]: v } : l)));
  return (
    <List header={header}>
      {rows.map((l, i) => (
        <List.Item key={i} data-location-row={i}>
          <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <Input value={l.code} onChange={(v) => set(i, 'code', v)} placeholder={t('adm.wh.locationCode')} style={{ flex: 1 }} />
            <Input value={l.name} onChange={(v) => set(i, 'name', v)} placeholder={t('adm.wh.locationName')} style={{ flex: 1 }} />
            <Button size="mini" fill="none" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={t('adm.remove')}>
              ✕
            </Button>
          </div>
        </List.Item>
      ))}
      <List.Item>
        <Button size="small" fill="outline" color="primary" onClick={() => onChange([...rows, { code: '', name: '' }])}>
          {t('adm.wh.addLocation')}
        </Button>
      </List.Item>
    </List>
  );
}
