import { Button, Form, Input, List, Selector } from 'antd-mobile';
import { useState } from 'react';
import { api, ok } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, useLoad } from '../ui.tsx';
import { FormActions, FormSheet, muted, useSave, whole } from './admin-form.tsx';

type Rule = Awaited<ReturnType<typeof loadRules>>['rules'][number];
const loadRules = () => ok(api.admin['alert-rules'].$get());

const SCOPES = ['company', 'category', 'item'] as const;
const FIELDS: { field: 'staleDays' | 'staleSupplyDays' | 'expiryDays' | 'quietHours'; key: MessageKey; help: MessageKey }[] = [
  { field: 'staleDays', key: 'adm.alert.staleDays', help: 'adm.alert.staleDaysHelp' },
  { field: 'staleSupplyDays', key: 'adm.alert.staleSupplyDays', help: 'adm.alert.staleSupplyDaysHelp' },
  { field: 'expiryDays', key: 'adm.alert.expiryDays', help: 'adm.alert.expiryDaysHelp' },
  { field: 'quietHours', key: 'adm.alert.quietHours', help: 'adm.alert.quietHoursHelp' },
];

interface Draft {
  scope: (typeof SCOPES)[number];
  target: string;
  values: Record<(typeof FIELDS)[number]['field'], string>;
}
const draftOf = (r: Rule | null): Draft => ({
  scope: r?.item ? 'item' : r?.category ? 'category' : 'company',
  target: r?.item ?? r?.category ?? '',
  values: { staleDays: String(r?.staleDays ?? ''), staleSupplyDays: String(r?.staleSupplyDays ?? ''), expiryDays: String(r?.expiryDays ?? ''), quietHours: String(r?.quietHours ?? '') },
});

/**
 * 预警阈值: for the company, a category or an item; a threshold left blank
 * falls back to the wider rule, and the company's to the built-in default.
 */
export function AdminAlertsPage() {
  const { t } = useI18n();
  const state = useLoad(loadRules, []);
  const [editing, setEditing] = useState<Draft | null>(null);
  const scopeOf = (r: Rule) => (r.item ? t('adm.alert.forItem', { code: r.item }) : r.category ? t('adm.alert.forCategory', { name: r.category }) : t('adm.alert.forCompany'));
  return (
    <div>
      <PageBar title={t('adm.alerts')} right={<Button size="mini" color="primary" onClick={() => setEditing(draftOf(null))}>{t('adm.new')}</Button>} />
      <Loaded state={state}>
        {(d) =>
          d.rules.length === 0 ? (
            <div style={{ padding: 24, textAlign: 'center', color: '#999' }}>{t('adm.alert.none')}</div>
          ) : (
            <List header={t('adm.alert.listHelp')}>
              {d.rules.map((r) => (
                <List.Item
                  key={`${r.category ?? ''}|${r.item ?? ''}`}
                  data-rule={r.item ?? r.category ?? 'company'}
                  onClick={() => setEditing(draftOf(r))}
                  arrowIcon
                  description={FIELDS.map((f) => `${t(f.key)} ${r[f.field] ?? t('adm.alert.inherit')}`).join(' · ')}
                >
                  {scopeOf(r)}
                </List.Item>
              ))}
            </List>
          )
        }
      </Loaded>
      <FormSheet open={editing} close={() => setEditing(null)} reload={() => void state.reload()}>
        {(value, done) => (
          <RuleForm
            initial={value}
            onDone={done.saved}
            onCancel={done.cancel}
          />
        )}
      </FormSheet>
    </div>
  );
}

function RuleForm({ initial, onDone, onCancel }: { initial: Draft; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const save = useSave();
  const [d, setD] = useState(initial);
  const submit = async () => {
    const json = {
      ...(d.scope === 'category' ? { category: d.target.trim() } : d.scope === 'item' ? { item: d.target.trim() } : {}),
      ...Object.fromEntries(FIELDS.flatMap((f) => (whole(d.values[f.field]) === undefined ? [] : [[f.field, whole(d.values[f.field])]]))),
    };
    if (await save.run(() => ok(api.admin['alert-rules'].$put({ json })))) onDone();
  };
  return (
    <div data-form="alert-rule">
      <div style={{ padding: '12px 16px', fontWeight: 600, fontSize: 17 }}>{t('adm.alert.edit')}</div>
      <Form layout="horizontal">
        <Form.Item label={t('adm.alert.scope')}>
          <Selector columns={3} value={[d.scope]} onChange={(v) => v[0] && setD({ ...d, scope: v[0] })} options={SCOPES.map((s) => ({ label: t(`adm.alert.scope.${s}`), value: s }))} />
        </Form.Item>
        {d.scope !== 'company' && (
          <Form.Item label={d.scope === 'item' ? t('adm.alert.itemCode') : t('adm.alert.category')} required>
            <Input value={d.target} onChange={(v) => setD({ ...d, target: v })} clearable />
          </Form.Item>
        )}
        {FIELDS.map((f) => (
          <Form.Item key={f.field} label={t(f.key)} description={<span style={muted}>{t(f.help)}</span>}>
            <Input value={d.values[f.field]} onChange={(v) => setD({ ...d, values: { ...d.values, [f.field]: v } })} inputMode="numeric" placeholder={t('adm.alert.inherit')} clearable />
          </Form.Item>
        ))}
      </Form>
      <FormActions save={save} onCancel={onCancel} onSubmit={() => void submit()} />
    </div>
  );
}
