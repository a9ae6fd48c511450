import { Button, Dialog, Form, Input, List, Selector, Tag } from 'antd-mobile';
import { useState } from 'react';
import { api, ok, type ApiError } from '../api.ts';
import { Issues } from '../components/issues.tsx';
import { useI18n, wordFor } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, useLoad } from '../ui.tsx';
import { FormActions, FormSheet, muted, text, useAdminMeta, useSave } from './admin-form.tsx';

type Subscription = Awaited<ReturnType<typeof loadSubscriptions>>['subscriptions'][number];
const loadSubscriptions = () => ok(api.admin.subscriptions.$get());
const LANGS = ['zh', 'en'] as const;

interface Draft {
  existing: boolean;
  platform: string;
  chatId: string;
  chatName: string;
  topic: string;
  warehouse: string;
  lang: string;
  sendAt: string;
}

/**
 * 群订阅: which groups get the daily digest or alerts, at what time and in
 * which language. A group can also subscribe itself by asking the bot.
 */
export function AdminSubscriptionsPage() {
  const { t } = useI18n();
  const state = useLoad(loadSubscriptions, []);
  const [editing, setEditing] = useState<Draft | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async (s: Subscription) => {
    const sure = await Dialog.confirm({ content: t('adm.sub.deleteConfirm', { name: s.chatName ?? s.chatId }), confirmText: t('adm.sub.delete'), cancelText: t('common.cancel') });
    if (!sure) return;
    try {
      setError(null);
      await ok(api.admin.subscriptions[':id'].$delete({ param: { id: String(s.id) } }));
      void state.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  const edit = (s: Subscription) => setEditing({ existing: true, platform: s.platform, chatId: s.chatId, chatName: s.chatName ?? '', topic: s.topic, warehouse: s.warehouse ?? '', lang: s.lang, sendAt: s.sendAt.slice(0, 5) });
  return (
    <div>
      <PageBar
        title={t('adm.subscriptions')}
        right={
          <Button size="mini" color="primary" onClick={() => setEditing({ existing: false, platform: 'feishu', chatId: '', chatName: '', topic: 'digest', warehouse: '', lang: 'zh', sendAt: '08:30' })}>
            {t('adm.new')}
          </Button>
        }
      />
      <Issues error={error} />
      <Loaded state={state}>
        {(d) =>
          d.subscriptions.length === 0 ? (
            <div style={{ padding: 24, textAlign: 'center', color: '#999' }}>{t('adm.sub.none')}</div>
          ) : (
            <List>
              {d.subscriptions.map((s) => (
                <List.Item
                  key={s.id}
                  data-subscription={s.id}
                  description={
                    <span>
                      {wordFor(t, 'adm.platform', s.platform)} · {s.warehouse ?? t('adm.sub.allWarehouses')}
                      {s.topic === 'digest' && ` · ${t('adm.sub.at', { time: s.sendAt.slice(0, 5) })}`} · {wordFor(t, 'adm.lang', s.lang)}
                    </span>
                  }
                  extra={
                    <span style={{ display: 'flex', gap: 4 }}>
                      <Button size="mini" onClick={() => edit(s)}>{t('adm.sub.edit')}</Button>
                      <Button size="mini" color="danger" fill="outline" onClick={() => void remove(s)}>{t('adm.sub.delete')}</Button>
                    </span>
                  }
                >
                  {s.chatName ?? s.chatId} <Tag color={s.topic === 'alerts' ? 'warning' : 'primary'} fill="outline">{wordFor(t, 'adm.topic', s.topic)}</Tag>
                </List.Item>
              ))}
            </List>
          )
        }
      </Loaded>
      <FormSheet open={editing} close={() => setEditing(null)} reload={() => void state.reload()}>
        {(value, done) => (
          <SubscriptionForm
            initial={value}
            onDone={done.saved}
            onCancel={done.cancel}
          />
        )}
      </FormSheet>
    </div>
  );
}

/** A group, topic and warehouse name the subscription; for one that exists only its name, time and language change. */
function SubscriptionForm({ initial, onDone, onCancel }: { initial: Draft; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const meta = useAdminMeta();
  const save = useSave();
  const [d, setD] = useState(initial);
  const set = (k: keyof Draft) => (v: string) => setD((x) => ({ ...x, [k]: v }));
  const submit = async () => {
    const json = {
      platform: d.platform as 'feishu',
      chatId: d.chatId.trim(),
      chatName: text(d.chatName),
      topic: d.topic as 'digest',
      warehouse: text(d.warehouse),
      lang: d.lang as 'zh',
      sendAt: d.sendAt.trim(),
    };
    if (await save.run(() => ok(api.admin.subscriptions.$post({ json })))) onDone();
  };
  const fixed = d.existing;
  return (
    <div data-form="subscription">
      <div style={{ padding: '12px 16px', fontWeight: 600, fontSize: 17 }}>{fixed ? t('adm.sub.edit') : t('adm.sub.new')}</div>
      <Form layout="horizontal">
        <Form.Item label={t('adm.sub.platform')}>
          <Selector columns={3} value={[d.platform]} onChange={(v) => !fixed && v[0] && set('platform')(v[0])} disabled={fixed} options={(meta.data?.platforms ?? [d.platform]).map((p) => ({ label: wordFor(t, 'adm.platform', p), value: p }))} />
        </Form.Item>
        <Form.Item label={t('adm.sub.chatId')} required description={!fixed && <span style={muted}>{t('adm.sub.chatIdHelp')}</span>}>
          <Input value={d.chatId} onChange={set('chatId')} readOnly={fixed} clearable={!fixed} />
        </Form.Item>
        <Form.Item label={t('adm.sub.chatName')}>
          <Input value={d.chatName} onChange={set('chatName')} clearable />
        </Form.Item>
        <Form.Item label={t('adm.sub.topic')}>
          <Selector columns={2} value={[d.topic]} onChange={(v) => !fixed && v[0] && set('topic')(v[0])} disabled={fixed} options={(meta.data?.topics ?? [d.topic]).map((p) => ({ label: wordFor(t, 'adm.topic', p), value: p }))} />
        </Form.Item>
        <Form.Item label={t('adm.sub.warehouse')}>
          <Input value={d.warehouse} onChange={set('warehouse')} readOnly={fixed} placeholder={t('adm.sub.allWarehouses')} clearable={!fixed} />
        </Form.Item>
        <Form.Item label={t('adm.sub.sendAt')} description={<span style={muted}>{t('adm.sub.sendAtHelp')}</span>}>
          <Input value={d.sendAt} onChange={set('sendAt')} placeholder="08:30" inputMode="numeric" />
        </Form.Item>
        <Form.Item label={t('adm.sub.lang')}>
          <Selector columns={2} value={[d.lang]} onChange={(v) => v[0] && set('lang')(v[0])} options={LANGS.map((l) => ({ label: wordFor(t, 'adm.lang', l), value: l }))} />
        </Form.Item>
      </Form>
      <FormActions save={save} onCancel={onCancel} onSubmit={() => void submit()} />
    </div>
  );
}
