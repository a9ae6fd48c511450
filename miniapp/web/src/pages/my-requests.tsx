import { Button, List, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { api, ok } from '../api.ts';
import { useI18n, wordFor } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, money, statusKey, typeKey, useLoad, when } from '../ui.tsx';

/** 我的申请: newest first, with where each stands. */
export function MyRequestsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const state = useLoad(() => ok(api.requests.mine.$get()), []);
  return (
    <div>
      <PageBar title={t('req.mine')} back={false} right={<Button size="mini" color="primary" onClick={() => navigate('/requests/new')}>{t('req.new')}</Button>} />
      <Loaded state={state}>
        {(d) =>
          d.requests.length === 0 ? (
            <div style={{ padding: 24, textAlign: 'center', color: '#999' }}>{t('req.none')}</div>
          ) : (
            <List>
              {d.requests.map((r) => (
                <List.Item
                  key={r.id}
                  onClick={() => navigate(`/requests/${r.id}`)}
                  description={`${when(r.createdAt)} · ${money(r.amount)}${r.stage ? ` · ${wordFor(t, 'stage', r.stage)}` : ''}`}
                  extra={<Tag color={r.status === 'pending' ? 'warning' : r.status === 'rejected' || r.status === 'failed' ? 'danger' : 'success'}>{t(statusKey(r.status))}</Tag>}
                >
                  {t(typeKey(r.type))} {r.requestNo}
                </List.Item>
              ))}
            </List>
          )
        }
      </Loaded>
    </div>
  );
}
