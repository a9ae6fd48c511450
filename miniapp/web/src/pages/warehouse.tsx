import { List, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { api, ok } from '../api.ts';
import { useI18n, wordFor } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { Loaded, typeKey, useLoad, when } from '../ui.tsx';

/** The warehouse's queue: approved requests to accept, pick, check and ship, or to receive. */
export function WarehousePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const state = useLoad(() => ok(api.fulfilment.$get()), []);
  return (
    <div>
      <PageBar title={t('wh.queue')} back={false} />
      <Loaded state={state}>
        {(d) =>
          d.requests.length === 0 ? (
            <div style={{ padding: 24, textAlign: 'center', color: '#999' }}>{t('wh.none')}</div>
          ) : (
            <List>
              {d.requests.map((r) => (
                <List.Item
                  key={r.id}
                  onClick={() => navigate(`/requests/${r.id}`)}
                  description={`${r.requester} · ${r.warehouse}${r.toWarehouse ? ` → ${r.toWarehouse}` : ''} · ${when(r.createdAt)}`}
                  extra={r.stage ? <Tag color="primary">{wordFor(t, 'stage', r.stage)}</Tag> : null}
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
