import { Button, Form, Input, List, SearchBar, Selector, Switch, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import type { Role } from '../../../../inventory/roles.ts';
import { api, ok } from '../api.ts';
import { useI18n, wordFor, type MessageKey } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, useDebounced, useLoad } from '../ui.tsx';
import { changed, FormActions, FormSheet, muted, orNull, text, useAdminMeta, useSave } from './admin-form.tsx';

/** The chat identities an admin binds by hand: who a message from that platform user acts as. */
const BINDINGS: { field: 'dingtalkUserId' | 'feishuOpenId' | 'feishuUnionId' | 'wecomUserId'; key: MessageKey }[] = [
  { field: 'dingtalkUserId', key: 'adm.emp.dingtalkUserId' },
  { field: 'feishuOpenId', key: 'adm.emp.feishuOpenId' },
  { field: 'feishuUnionId', key: 'adm.emp.feishuUnionId' },
  { field: 'wecomUserId', key: 'adm.emp.wecomUserId' },
];
type Bindings = Record<(typeof BINDINGS)[number]['field'], string>;
const NO_BINDINGS: Bindings = { dingtalkUserId: '', feishuOpenId: '', feishuUnionId: '', wecomUserId: '' };

/** 员工: who works here, their roles, manager and warehouses, and which DingTalk / Feishu / WeCom user each one is. */
export function AdminEmployeesPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [binding, setBinding] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const query = useDebounced(q.trim(), 250);
  const state = useLoad(() => ok(api.admin.employees.$get({ query: { q: query } })), [query]);
  return (
    <div>
      <PageBar title={t('adm.employees')} right={<Button size="mini" color="primary" onClick={() => setCreating(true)}>{t('adm.new')}</Button>} />
      <div style={{ padding: 8, background: '#fff' }}>
        <SearchBar placeholder={t('adm.emp.search')} value={q} onChange={setQ} />
      </div>
      <Loaded state={state}>
        {(d) => (
          <List>
            {d.employees.map((e) => (
              <List.Item
                key={e.code}
                data-employee={e.code}
                onClick={() => setBinding(e.code)}
                description={[e.department, e.roles.map((r) => wordFor(t, 'adm.role', r)).join('、')].filter(Boolean).join(' · ')}
                extra={
                  <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap', justifyContent: 'flex-end', maxWidth: 140 }}>
                    {!e.active && <Tag color="default">{t('adm.emp.inactive')}</Tag>}
                    {e.bound.length === 0 ? <Tag color="warning" fill="outline">{t('adm.emp.unbound')}</Tag> : e.bound.map((p) => <Tag key={p} color="success" fill="outline">{wordFor(t, 'adm.platform', p)}</Tag>)}
                  </div>
                }
                arrowIcon
              >
                {e.name} <span style={muted}>{e.code}</span>
              </List.Item>
            ))}
          </List>
        )}
      </Loaded>
      <FormSheet open={creating} close={() => setCreating(false)} reload={() => void state.reload()}>
        {(_, done) => <NewEmployeeForm onDone={done.saved} onCancel={done.cancel} />}
      </FormSheet>
      <FormSheet open={binding} close={() => setBinding(null)} reload={() => void state.reload()}>
        {(value, done) => (
          <BindingsForm
            code={value}
            onDone={done.saved}
            onCancel={done.cancel}
            onEdit={() => {
              setEditing(value);
              setBinding(null);
            }}
          />
        )}
      </FormSheet>
      <FormSheet open={editing} close={() => setEditing(null)} reload={() => void state.reload()}>
        {(value, done) => (
          <EditEmployeeForm
            code={value}
            onDone={done.saved}
            onCancel={done.cancel}
          />
        )}
      </FormSheet>
    </div>
  );
}

function BindingFields({ value, onChange }: { value: Bindings; onChange: (v: Bindings) => void }) {
  const { t } = useI18n();
  return (
    <>
      {BINDINGS.map((b) => (
        <Form.Item key={b.field} label={t(b.key)}>
          <Input value={value[b.field]} onChange={(v) => onChange({ ...value, [b.field]: v })} placeholder={t('adm.emp.notBound')} clearable />
        </Form.Item>
      ))}
    </>
  );
}

/** One employee's chat identities: a cleared field unbinds that platform. */
function BindingsForm({ code, onDone, onCancel, onEdit }: { code: string; onDone: () => void; onCancel: () => void; onEdit: () => void }) {
  const { t } = useI18n();
  const save = useSave();
  const state = useLoad(() => ok(api.admin.employees[':code'].$get({ param: { code } })), [code]);
  const [value, setValue] = useState<Bindings | null>(null);
  useEffect(() => {
    const e = state.data;
    if (e) setValue({ dingtalkUserId: e.dingtalkUserId ?? '', feishuOpenId: e.feishuOpenId ?? '', feishuUnionId: e.feishuUnionId ?? '', wecomUserId: e.wecomUserId ?? '' });
  }, [state.data]);
  const submit = async (v: Bindings) => {
    const json = Object.fromEntries(BINDINGS.map((b) => [b.field, text(v[b.field]) ?? null])) as Record<keyof Bindings, string | null>;
    if (await save.run(() => ok(api.admin.employees[':code'].identities.$put({ param: { code }, json })))) onDone();
  };
  return (
    <div data-form="bindings">
      <Loaded state={state}>
        {(e) => (
          <>
            <div style={{ padding: '12px 16px' }}>
              <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                <div style={{ fontWeight: 600, fontSize: 17, flex: 1 }}>
                  {e.name} <span style={muted}>{e.code}</span> {!e.active && <Tag color="default">{t('adm.emp.inactive')}</Tag>}
                </div>
                <Button size="small" fill="outline" color="primary" onClick={onEdit}>{t('adm.emp.edit')}</Button>
              </div>
              <div style={{ ...muted, marginTop: 4 }}>
                {[e.department, e.roles.map((r) => wordFor(t, 'adm.role', r)).join('、'), e.manager && t('adm.emp.managerIs', { code: e.manager }), e.warehouses === null ? t('adm.emp.allWarehouses') : e.warehouses.join('、')]
                  .filter(Boolean)
                  .join(' · ')}
              </div>
            </div>
            <Form layout="vertical">
              <Form.Header>{t('adm.emp.bindings')}</Form.Header>
              {value && <BindingFields value={value} onChange={setValue} />}
            </Form>
            <div style={{ ...muted, padding: '4px 16px' }}>{t('adm.emp.bindingsHelp')}</div>
            <FormActions save={save} onCancel={onCancel} onSubmit={() => { if (value) void submit(value); }} disabled={!value} />
          </>
        )}
      </Loaded>
    </div>
  );
}

function NewEmployeeForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const meta = useAdminMeta();
  const warehouses = useLoad(() => ok(api.admin.warehouses.$get()), []);
  const save = useSave();
  const [f, setF] = useState({ code: '', name: '', department: '', manager: '' });
  const [roles, setRoles] = useState<string[]>([]);
  const [scope, setScope] = useState<string[]>([]);
  const [bindings, setBindings] = useState<Bindings>(NO_BINDINGS);
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const submit = async () => {
    const ids = Object.fromEntries(BINDINGS.flatMap((b) => (text(bindings[b.field]) ? [[b.field, text(bindings[b.field])]] : [])));
    const created = await save.run(() =>
      ok(
        api.admin.employees.$post({
          json: {
            code: f.code.trim(),
            name: f.name.trim(),
            department: text(f.department),
            manager: text(f.manager),
            roles,
            // None picked means every warehouse, as the domain reads an absent list.
            ...(scope.length ? { warehouses: scope } : {}),
            ...ids,
          },
        }),
      ),
    );
    if (created) onDone();
  };
  return (
    <div data-form="new-employee">
      <div style={{ padding: '12px 16px', fontWeight: 600, fontSize: 17 }}>{t('adm.emp.new')}</div>
      <Form layout="horizontal">
        <Form.Item label={t('adm.emp.code')} required>
          <Input value={f.code} onChange={set('code')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.emp.name')} required>
          <Input value={f.name} onChange={set('name')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.emp.department')}>
          <Input value={f.department} onChange={set('department')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.emp.manager')}>
          <Input value={f.manager} onChange={set('manager')} placeholder={t('adm.emp.managerHint')} clearable />
        </Form.Item>
      </Form>
      <Form layout="vertical">
        <Form.Item label={t('adm.emp.roles')}>
          <Selector multiple columns={2} value={roles} onChange={setRoles} options={(meta.data?.roles ?? []).map((r) => ({ label: wordFor(t, 'adm.role', r), value: r }))} />
        </Form.Item>
        <Form.Item label={t('adm.emp.warehouses')} description={<span style={muted}>{t('adm.emp.warehousesHelp')}</span>}>
          <Selector multiple columns={3} value={scope} onChange={setScope} options={(warehouses.data?.warehouses ?? []).map((w) => ({ label: w.name, value: w.code }))} />
        </Form.Item>
        <BindingFields value={bindings} onChange={setBindings} />
      </Form>
      <FormActions save={save} onCancel={onCancel} onSubmit={() => void submit()} label="adm.create" />
    </div>
  );
}

type EmployeeForm = { name: string; department: string; manager: string; roles: string[]; warehouses: string[]; active: boolean };

/** The body an edit would send for this form; `changed` then keeps what differs from the loaded employee. */
const employeeBody = (f: EmployeeForm) => ({
  name: f.name.trim(),
  department: orNull(f.department),
  manager: orNull(f.manager),
  roles: [...f.roles].sort() as Role[],
  // None picked means every warehouse, as the domain reads a null scope.
  warehouses: f.warehouses.length ? [...f.warehouses].sort() : null,
  active: f.active,
});

/**
 * One employee's details: name, department, manager, roles, warehouses, and
 * whether they may still sign in. A deactivated employee keeps every request
 * and decision they made.
 */
function EditEmployeeForm({ code, onDone, onCancel }: { code: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const meta = useAdminMeta();
  const warehouses = useLoad(() => ok(api.admin.warehouses.$get()), []);
  const save = useSave();
  const state = useLoad(() => ok(api.admin.employees[':code'].$get({ param: { code } })), [code]);
  const [loaded, setLoaded] = useState<EmployeeForm | null>(null);
  const [f, setF] = useState<EmployeeForm | null>(null);
  useEffect(() => {
    const e = state.data;
    if (!e) return;
    const form = { name: e.name, department: e.department ?? '', manager: e.manager ?? '', roles: e.roles, warehouses: e.warehouses ?? [], active: e.active };
    setLoaded(form);
    setF(form);
  }, [state.data]);
  const patch = (p: Partial<EmployeeForm>) => setF((x) => (x ? { ...x, ...p } : x));
  const submit = async () => {
    if (!f || !loaded) return;
    const json = changed(employeeBody(loaded), employeeBody(f));
    if (Object.keys(json).length === 0) {
      Toast.show(t('adm.nothingChanged'));
      onCancel();
      return;
    }
    if (await save.run(() => ok(api.admin.employees[':code'].$patch({ param: { code }, json })))) onDone();
  };
  // A deactivated warehouse still in the scope stays visible, so that it can be taken out.
  const offered = (warehouses.data?.warehouses ?? []).filter((w) => w.active || f?.warehouses.includes(w.code));
  return (
    <div data-form="edit-employee">
      <Loaded state={state}>
        {(e) => (
          <>
            <div style={{ padding: '12px 16px' }}>
              <div style={{ fontWeight: 600, fontSize: 17 }}>{t('adm.emp.edit')}</div>
              <div style={muted}>{e.code}</div>
            </div>
            {f && (
              <>
                <Form layout="horizontal">
                  <Form.Item label={t('adm.emp.name')}>
                    <Input value={f.name} onChange={(v) => patch({ name: v })} clearable />
                  </Form.Item>
                  <Form.Item label={t('adm.emp.department')}>
                    <Input value={f.department} onChange={(v) => patch({ department: v })} clearable />
                  </Form.Item>
                  <Form.Item label={t('adm.emp.manager')}>
                    <Input value={f.manager} onChange={(v) => patch({ manager: v })} placeholder={t('adm.emp.managerHint')} clearable />
                  </Form.Item>
                  <Form.Item label={t('adm.active')} description={<span style={muted}>{t('adm.emp.activeHelp')}</span>}>
                    <Switch checked={f.active} onChange={(v) => patch({ active: v })} />
                  </Form.Item>
                </Form>
                <Form layout="vertical">
                  <Form.Item label={t('adm.emp.roles')}>
                    <Selector multiple columns={2} value={f.roles} onChange={(v) => patch({ roles: v })} options={(meta.data?.roles ?? []).map((r) => ({ label: wordFor(t, 'adm.role', r), value: r }))} />
                  </Form.Item>
                  <Form.Item label={t('adm.emp.warehouses')} description={<span style={muted}>{t('adm.emp.warehousesHelp')}</span>}>
                    <Selector multiple columns={3} value={f.warehouses} onChange={(v) => patch({ warehouses: v })} options={offered.map((w) => ({ label: w.name, value: w.code }))} />
                  </Form.Item>
                </Form>
              </>
            )}
            <FormActions save={save} onCancel={onCancel} onSubmit={() => void submit()} disabled={!f} />
          </>
        )}
      </Loaded>
    </div>
  );
}
