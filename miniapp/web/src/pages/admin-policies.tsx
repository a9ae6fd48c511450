import { Button, Card, Form, Input, List, Selector, Stepper, Tag } from 'antd-mobile';
import { useState, type CSSProperties } from 'react';
import { api, ok } from '../api.ts';
import { useI18n, wordFor, type Translate } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, typeKey, useLoad } from '../ui.tsx';
import { FormActions, FormSheet, muted, text, useAdminMeta, useSave } from './admin-form.tsx';

type Saved = Awaited<ReturnType<typeof loadPolicies>>['policies'][number];
type SavedStep = Saved['steps'][number];
const loadPolicies = () => ok(api.admin.policies.$get());

const MODES = ['any', 'all', 'sequential'] as const;
const APPROVER_KINDS = ['employee', 'role', 'manager'] as const;
const ESCALATIONS = ['', 'manager', 'role', 'employee', 'auto_approve', 'auto_reject'] as const;

/** What the editor holds: every field as typed, turned into the policy only when sent. */
interface DraftApprover {
  kind: (typeof APPROVER_KINDS)[number];
  employee: string;
  role: string;
  levels: number;
}
interface DraftStep {
  name: string;
  mode: (typeof MODES)[number];
  approvers: DraftApprover[];
  amountAbove: string;
  remindAfter: string;
  escalateAfter: string;
  escalateTo: (typeof ESCALATIONS)[number];
  escalateRole: string;
  escalateEmployee: string;
}
interface Draft {
  requestType: string;
  name: string;
  warehouse: string;
  category: string;
  steps: DraftStep[];
}

const newApprover = (): DraftApprover => ({ kind: 'manager', employee: '', role: '', levels: 1 });
const newStep = (): DraftStep => ({ name: '', mode: 'any', approvers: [newApprover()], amountAbove: '', remindAfter: '', escalateAfter: '', escalateTo: '', escalateRole: '', escalateEmployee: '' });

function draftOf(p: Saved): Draft {
  return {
    requestType: p.requestType,
    name: p.name,
    warehouse: p.warehouse ?? '',
    category: p.category ?? '',
    steps: p.steps.map((s) => ({
      name: s.name,
      mode: s.mode,
      approvers: s.approvers.map((a) => ({ kind: a.kind, employee: a.kind === 'employee' ? a.employee : '', role: a.kind === 'role' ? a.role : '', levels: a.kind === 'manager' ? (a.levels ?? 1) : 1 })),
      amountAbove: s.when?.amountAbove === undefined ? '' : String(s.when.amountAbove),
      remindAfter: s.remindAfter ?? '',
      escalateAfter: s.escalateAfter ?? '',
      escalateTo: s.escalateTo?.kind ?? '',
      escalateRole: s.escalateTo?.kind === 'role' ? s.escalateTo.role : '',
      escalateEmployee: s.escalateTo?.kind === 'employee' ? s.escalateTo.employee : '',
    })),
  };
}

/** The policy as the server reads it; what the admin left blank stays out, what is wrong goes as typed for the server to name. */
function policyOf(d: Draft, keep: SavedStep[] = []) {
  return {
    requestType: d.requestType as 'purchase',
    name: d.name.trim(),
    warehouse: text(d.warehouse),
    category: text(d.category),
    steps: d.steps.map((s, i) => {
      const when = { ...keep[i]?.when, amountAbove: text(s.amountAbove) };
      return {
        name: s.name.trim(),
        mode: s.mode,
        approvers: s.approvers.map((a) =>
          a.kind === 'employee' ? { kind: 'employee' as const, employee: a.employee.trim() } : a.kind === 'role' ? { kind: 'role' as const, role: a.role as 'admin' } : { kind: 'manager' as const, levels: a.levels },
        ),
        // Category and warehouse conditions have no editor here: those saved before are kept as they were.
        ...(Object.values(when).some((v) => v !== undefined) ? { when } : {}),
        remindAfter: text(s.remindAfter),
        escalateAfter: text(s.escalateAfter),
        ...(s.escalateTo === ''
          ? {}
          : {
              escalateTo:
                s.escalateTo === 'role'
                  ? { kind: 'role' as const, role: s.escalateRole as 'admin' }
                  : s.escalateTo === 'employee'
                    ? { kind: 'employee' as const, employee: s.escalateEmployee.trim() }
                    : { kind: s.escalateTo },
            }),
      };
    }),
  };
}

function approverWords(t: Translate, a: SavedStep['approvers'][number]): string {
  if (a.kind === 'employee') return t('adm.pol.approverEmployee', { code: a.employee });
  if (a.kind === 'role') return wordFor(t, 'adm.role', a.role);
  return (a.levels ?? 1) > 1 ? t('adm.pol.managerLevels', { n: a.levels ?? 1 }) : t('adm.pol.kind.manager');
}

function stepWords(t: Translate, s: SavedStep): string {
  const parts = [wordFor(t, 'adm.pol.mode', s.mode), s.approvers.map((a) => approverWords(t, a)).join('、')];
  if (s.when?.amountAbove !== undefined) parts.push(t('adm.pol.amountAboveIs', { amount: String(s.when.amountAbove) }));
  if (s.when?.categories) parts.push(s.when.categories.join('、'));
  if (s.when?.warehouses) parts.push(s.when.warehouses.join('、'));
  if (s.remindAfter) parts.push(t('adm.pol.remindIs', { after: s.remindAfter }));
  if (s.escalateAfter && s.escalateTo) {
    const to = s.escalateTo.kind === 'role' ? wordFor(t, 'adm.role', s.escalateTo.role) : s.escalateTo.kind === 'employee' ? s.escalateTo.employee : wordFor(t, 'adm.pol.esc', s.escalateTo.kind);
    parts.push(t('adm.pol.escalateIs', { after: s.escalateAfter, to }));
  }
  return parts.join(' · ');
}

/**
 * 审批流: the current version of each policy, by request type, with its
 * steps. Editing saves a new version; requests already running keep theirs.
 */
export function AdminPoliciesPage() {
  const { t } = useI18n();
  const meta = useAdminMeta();
  const state = useLoad(loadPolicies, []);
  const [editing, setEditing] = useState<{ draft: Draft; keep: SavedStep[] } | null>(null);
  return (
    <div>
      <PageBar title={t('adm.policies')} />
      <Loaded state={state}>
        {(d) => (
          <>
            {(meta.data?.requestTypes ?? []).map((type) => {
              const mine = d.policies.filter((p) => p.requestType === type);
              return (
                <List
                  key={type}
                  data-policy-type={type}
                  header={
                    <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
                      <span>{t(typeKey(type))}</span>
                      <Button size="mini" fill="outline" color="primary" onClick={() => setEditing({ draft: { requestType: type, name: '', warehouse: '', category: '', steps: [newStep()] }, keep: [] })}>
                        {t('adm.new')}
                      </Button>
                    </div>
                  }
                >
                  {mine.length === 0 && <List.Item description={t('adm.pol.noneHelp')}>{t('adm.pol.none')}</List.Item>}
                  {mine.map((p) => (
                    <List.Item
                      key={p.id}
                      arrowIcon
                      onClick={() => setEditing({ draft: draftOf(p), keep: p.steps })}
                      description={
                        <ol style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                          {p.steps.map((s, i) => (
                            <li key={i} style={{ marginBottom: 2 }}>
                              <b>{s.name}</b>：{stepWords(t, s)}
                            </li>
                          ))}
                        </ol>
                      }
                    >
                      {p.name} <Tag fill="outline">v{p.version}</Tag> {p.warehouse && <Tag color="primary" fill="outline">{p.warehouse}</Tag>} {p.category && <Tag color="primary" fill="outline">{p.category}</Tag>}
                    </List.Item>
                  ))}
                </List>
              );
            })}
          </>
        )}
      </Loaded>
      <FormSheet open={editing} close={() => setEditing(null)} reload={() => void state.reload()} style={{ height: '92vh', overflowY: 'auto', borderTopLeftRadius: 12, borderTopRightRadius: 12, background: '#f5f5f5' }}>
        {(value, done) => (
          <PolicyEditor
            initial={value.draft}
            keep={value.keep}
            roles={meta.data?.roles ?? []}
            onDone={done.saved}
            onCancel={done.cancel}
          />
        )}
      </FormSheet>
    </div>
  );
}

function PolicyEditor({ initial, keep, roles, onDone, onCancel }: { initial: Draft; keep: SavedStep[]; roles: string[]; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const save = useSave();
  const [d, setD] = useState<Draft>(initial);
  const [kept, setKept] = useState<SavedStep[]>(keep);
  const setStep = (i: number, patch: Partial<DraftStep>) => setD((x) => ({ ...x, steps: x.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) }));
  const setApprover = (i: number, k: number, patch: Partial<DraftApprover>) =>
    setStep(i, { approvers: d.steps[i]!.approvers.map((a, j) => (j === k ? { ...a, ...patch } : a)) });
  // Kept conditions follow their step when steps move or go.
  const reorder = (order: (steps: DraftStep[]) => DraftStep[], keepOrder: (k: SavedStep[]) => SavedStep[]) => {
    setD((x) => ({ ...x, steps: order(x.steps) }));
    setKept(keepOrder);
  };
  const move = <T,>(list: T[], i: number, by: number): T[] => {
    const out = [...list];
    const [it] = out.splice(i, 1);
    if (it !== undefined) out.splice(i + by, 0, it);
    return out;
  };
  const submit = async () => {
    const saved = await save.run(() => ok(api.admin.policies.$post({ json: policyOf(d, kept) })), (p) => t('adm.pol.savedVersion', { version: p.version }));
    if (saved) onDone();
  };
  const roleOptions = roles.map((r) => ({ label: wordFor(t, 'adm.role', r), value: r }));
  return (
    <div data-form="policy">
      <div style={{ padding: '12px 16px', fontWeight: 600, fontSize: 17, background: '#fff' }}>
        {t(typeKey(d.requestType))} · {t('adm.pol.edit')}
        <div style={{ ...muted, fontWeight: 400, marginTop: 4 }}>{t('adm.pol.versionHelp')}</div>
      </div>
      <Form layout="horizontal">
        <Form.Item label={t('adm.pol.name')} required>
          <Input value={d.name} onChange={(v) => setD({ ...d, name: v })} placeholder={t('adm.pol.namePlaceholder')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.pol.warehouse')}>
          <Input value={d.warehouse} onChange={(v) => setD({ ...d, warehouse: v })} placeholder={t('adm.pol.anyWarehouse')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.pol.category')}>
          <Input value={d.category} onChange={(v) => setD({ ...d, category: v })} placeholder={t('adm.pol.anyCategory')} clearable />
        </Form.Item>
      </Form>
      {d.steps.map((s, i) => (
        <Card
          key={i}
          data-step={i}
          style={{ margin: 8 }}
          title={t('adm.pol.step', { n: i + 1 })}
          extra={
            <span style={{ display: 'flex', gap: 4 }}>
              <Button size="mini" fill="none" disabled={i === 0} onClick={() => reorder((ss) => move(ss, i, -1), (k) => move(k, i, -1))} aria-label={t('adm.pol.up')}>
                ↑
              </Button>
              <Button size="mini" fill="none" disabled={i === d.steps.length - 1} onClick={() => reorder((ss) => move(ss, i, 1), (k) => move(k, i, 1))} aria-label={t('adm.pol.down')}>
                ↓
              </Button>
              <Button size="mini" fill="none" color="danger" onClick={() => reorder((ss) => ss.filter((_, j) => j !== i), (k) => k.filter((_, j) => j !== i))}>
                {t('adm.remove')}
              </Button>
            </span>
          }
        >
          <Form layout="vertical" style={{ '--border-top': 'none' } as CSSProperties}>
            <Form.Item label={t('adm.pol.stepName')}>
              <Input value={s.name} onChange={(v) => setStep(i, { name: v })} placeholder={t('adm.pol.stepNamePlaceholder')} clearable />
            </Form.Item>
            <Form.Item label={t('adm.pol.modeLabel')}>
              <Selector columns={3} value={[s.mode]} onChange={(v) => v[0] && setStep(i, { mode: v[0] })} options={MODES.map((m) => ({ label: wordFor(t, 'adm.pol.mode', m), value: m }))} />
            </Form.Item>
            <Form.Item label={t('adm.pol.approvers')}>
              {s.approvers.map((a, k) => (
                <div key={k} data-approver={k} style={{ borderLeft: '3px solid #1677ff', padding: '4px 0 4px 8px', marginBottom: 8 }}>
                  <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
                    <Selector
                      style={{ flex: 1, '--padding': '6px 8px' } as CSSProperties}
                      columns={3}
                      value={[a.kind]}
                      onChange={(v) => v[0] && setApprover(i, k, { kind: v[0] })}
                      options={APPROVER_KINDS.map((kind) => ({ label: wordFor(t, 'adm.pol.kind', kind), value: kind }))}
                    />
                    <Button size="mini" fill="none" disabled={s.approvers.length === 1} onClick={() => setStep(i, { approvers: s.approvers.filter((_, j) => j !== k) })} aria-label={t('adm.remove')}>
                      ✕
                    </Button>
                  </div>
                  <div style={{ marginTop: 6 }}>
                    {a.kind === 'employee' && <Input value={a.employee} onChange={(v) => setApprover(i, k, { employee: v })} placeholder={t('adm.pol.employeeCode')} clearable />}
                    {a.kind === 'role' && <Selector columns={3} value={[a.role]} onChange={(v) => setApprover(i, k, { role: v[0] ?? '' })} options={roleOptions} style={{ '--padding': '4px 6px' } as CSSProperties} />}
                    {a.kind === 'manager' && (
                      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                        <span style={muted}>{t('adm.pol.levels')}</span>
                        <Stepper min={1} max={5} value={a.levels} onChange={(v) => setApprover(i, k, { levels: v })} />
                      </div>
                    )}
                  </div>
                </div>
              ))}
              <Button size="mini" fill="outline" color="primary" onClick={() => setStep(i, { approvers: [...s.approvers, newApprover()] })}>
                {t('adm.pol.addApprover')}
              </Button>
            </Form.Item>
            <Form.Item label={t('adm.pol.amountAbove')} description={<span style={muted}>{t('adm.pol.amountAboveHelp')}</span>}>
              <Input value={s.amountAbove} onChange={(v) => setStep(i, { amountAbove: v })} inputMode="decimal" placeholder={t('adm.pol.always')} clearable />
            </Form.Item>
            <Form.Item label={t('adm.pol.timers')} description={<span style={muted}>{t('adm.pol.durationHelp')}</span>}>
              <div style={{ display: 'flex', gap: 8 }}>
                <Input value={s.remindAfter} onChange={(v) => setStep(i, { remindAfter: v })} placeholder={t('adm.pol.remindAfter')} style={{ flex: 1 }} />
                <Input value={s.escalateAfter} onChange={(v) => setStep(i, { escalateAfter: v })} placeholder={t('adm.pol.escalateAfter')} style={{ flex: 1 }} />
              </div>
            </Form.Item>
            <Form.Item label={t('adm.pol.escalateTo')}>
              <Selector
                columns={3}
                value={[s.escalateTo]}
                onChange={(v) => setStep(i, { escalateTo: v[0] ?? '' })}
                options={ESCALATIONS.map((e) => ({ label: e === '' ? t('adm.pol.noEscalation') : wordFor(t, 'adm.pol.esc', e), value: e }))}
                style={{ '--padding': '6px 6px' } as CSSProperties}
              />
              {s.escalateTo === 'role' && (
                <Selector columns={3} value={[s.escalateRole]} onChange={(v) => setStep(i, { escalateRole: v[0] ?? '' })} options={roleOptions} style={{ marginTop: 6, '--padding': '4px 6px' } as CSSProperties} />
              )}
              {s.escalateTo === 'employee' && <Input value={s.escalateEmployee} onChange={(v) => setStep(i, { escalateEmployee: v })} placeholder={t('adm.pol.employeeCode')} style={{ marginTop: 6 }} clearable />}
            </Form.Item>
          </Form>
        </Card>
      ))}
      <div style={{ padding: '0 8px' }}>
        <Button block fill="outline" color="primary" onClick={() => setD({ ...d, steps: [...d.steps, newStep()] })}>
          {t('adm.pol.addStep')}
        </Button>
      </div>
      <FormActions save={save} onCancel={onCancel} onSubmit={() => void submit()} label="adm.pol.saveVersion" style={{ position: 'sticky', bottom: 0, background: '#f5f5f5' }} />
    </div>
  );
}
