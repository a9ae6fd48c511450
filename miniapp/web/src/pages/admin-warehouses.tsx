import { Button, Form, Input, List, Popup, Tag } from 'antd-mobile';
import { useState } from 'react';
import { api, ok } from '../api.ts';
import { Issues } from '../components/issues.tsx';
import { useI18n } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, useLoad } from '../ui.tsx';
import { muted, text, useSave } from './admin-form.tsx';

/**
 * 仓库与库位: each warehouse with its locations, and a new warehouse with as
 * many locations as it needs. The default and transit locations come with it.
 */
export function AdminWarehousesPage() {
  const { t } = useI18n();
  const [creating, setCreating] = useState(false);
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
                  <span>
                    <b style={{ color: '#333', fontSize: 15 }}>{w.name}</b> <span style={muted}>{[w.code, ...w.aliases].join(' · ')}</span>
                  </span>
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
      <Popup visible={creating} onMaskClick={() => setCreating(false)} bodyStyle={{ maxHeight: '90vh', overflowY: 'auto', borderTopLeftRadius: 12, borderTopRightRadius: 12 }} destroyOnClose>
        <NewWarehouseForm
          onDone={() => {
            setCreating(false);
            void state.reload();
          }}
          onCancel={() => setCreating(false)}
        />
      </Popup>
    </div>
  );
}

function NewWarehouseForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const save = useSave();
  const [f, setF] = useState({ code: '', name: '', aliases: '', address: '' });
  const [locations, setLocations] = useState<{ code: string; name: string }[]>([{ code: '', name: '' }]);
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const setLocation = (i: number, k: 'code' | 'name', v: string) => setLocations((ls) => ls.map((l, j) => (j === i ? { ...l, [k]: v } : l)));
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
      <List header={<span>{t('adm.wh.locations')} <span style={muted}>{t('adm.wh.locationsHelp')}</span></span>}>
        {locations.map((l, i) => (
          <List.Item key={i} data-location-row={i}>
            <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <Input value={l.code} onChange={(v) => setLocation(i, 'code', v)} placeholder={t('adm.wh.locationCode')} style={{ flex: 1 }} />
              <Input value={l.name} onChange={(v) => setLocation(i, 'name', v)} placeholder={t('adm.wh.locationName')} style={{ flex: 1 }} />
              <Button size="mini" fill="none" onClick={() => setLocations((ls) => ls.filter((_, j) => j !== i))} aria-label={t('adm.remove')}>
                ✕
              </Button>
            </div>
          </List.Item>
        ))}
        <List.Item>
          <Button size="small" fill="outline" color="primary" onClick={() => setLocations((ls) => [...ls, { code: '', name: '' }])}>
            {t('adm.wh.addLocation')}
          </Button>
        </List.Item>
      </List>
      <Issues error={save.error} />
      <div style={{ display: 'flex', gap: 8, padding: 12 }}>
        <Button block onClick={onCancel}>{t('common.cancel')}</Button>
        <Button block color="primary" loading={save.saving} onClick={() => void submit()}>{t('adm.create')}</Button>
      </div>
    </div>
  );
}
