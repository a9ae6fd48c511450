import { List, Tabs, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { api, ok } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, money, statusKey, typeKey, useLoad, when } from '../ui.tsx';

/** 待我审批 and what I decided; a task opens the request, where the decision is taken. */
export function ApprovalsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const state = useLoad(() => ok(api.approvals.$get()), []);
  return (
    <div>
      <PageBar title={t('tab.approvals')} back={false} />
      <Loaded state={state}>
        {(d) => (
          <Tabs>
            <Tabs.Tab title={`${t('appr.pending')} (${d.pending.length})`} key="pending">
              {d.pending.length === 0 ? (
                <div style={{ padding: 24, textAlign: 'center', color: '#999' }}>{t('appr.none')}</div>
              ) : (
                <List>
                  {d.pending.map((p) => (
                    <List.Item key={p.id} onClick={() => navigate(`/requests/${p.id}`)} description={`${p.requester} · ${p.step} · ${when(p.since)}`} extra={money(p.amount)}>
                      {t(typeKey(p.type))} {p.requestNo}
                    </List.Item>
                  ))}
                </List>
              )}
            </Tabs.Tab>
            <Tabs.Tab title={t('appr.decided')} key="decided">
              <List>
                {d.decided.map((p) => (
                  <List.Item key={`${p.id}-${p.decidedAt}`} onClick={() => navigate(`/requests/${p.id}`)} description={`${p.requester} · ${when(p.decidedAt)}`} extra={<Tag>{t(statusKey(p.decision))}</Tag>}>
                    {t(typeKey(p.type))} {p.requestNo}
                  </List.Item>
                ))}
              </List>
            </Tabs.Tab>
          </Tabs>
        )}
      </Loaded>
    </div>
  );
}
