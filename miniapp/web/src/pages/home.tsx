import { Grid, List, SearchBar, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ok } from '../api.ts';
import { ScanButton } from '../components/scanner.tsx';
import { useI18n, type MessageKey } from '../i18n.ts';
import { useMe } from '../session.tsx';
import { qty, useDebounced, useLoad } from '../ui.tsx';

type Hit = Awaited<ReturnType<typeof search>>[number];
const search = async (q: string) => (await ok(api.items.$get({ query: { q } }))).items;

/** Who sees a shortcut: everyone, roles that see cost, or holders of one of the roles. */
const SHORTCUTS: { key: MessageKey; to: string; costOnly?: boolean; roles?: string[] }[] = [
  { key: 'home.newOutbound', to: '/requests/new?type=outbound' },
  { key: 'home.newPurchase', to: '/requests/new?type=purchase' },
  { key: 'home.newTransfer', to: '/requests/new?type=transfer' },
  { key: 'home.stocktake', to: '/stocktakes', roles: ['warehouse_keeper', 'warehouse_manager', 'admin'] },
  { key: 'home.dashboard', to: '/dashboard', costOnly: true },
  { key: 'home.import', to: '/import', roles: ['warehouse_manager', 'purchaser', 'admin'] },
];

/** Search by code, barcode, name or pinyin initials, or scan; results open the item. */
export function HomePage() {
  const { t } = useI18n();
  const { me } = useMe();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 200);
  const found = useLoad(() => (query ? search(query) : Promise.resolve(null)), [query]);
  const hits: Hit[] | null = found.data ?? null;

  const scanned = async (code: string) => {
    const found = await search(code);
    const exact = found.find((h) => h.match === 'barcode' || h.match === 'code');
    if (exact) navigate(`/items/${encodeURIComponent(exact.code)}`);
    else Toast.show({ content: t('scan.notFound', { code }) });
  };

  return (
    <div>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '12px 12px 8px', background: '#fff' }}>
        <div style={{ flex: 1 }}>
          <SearchBar placeholder={t('search.placeholder')} value={q} onChange={setQ} onSearch={setQ} />
        </div>
        <ScanButton onCode={(c) => void scanned(c)} />
      </div>
      {hits === null ? (
        <div style={{ padding: 12 }}>
          <div style={{ color: '#999', fontSize: 13, marginBottom: 8 }}>{t('home.shortcuts')}</div>
          <Grid columns={2} gap={8}>
            {SHORTCUTS.filter((s) => (!s.costOnly || me.seesCost) && (!s.roles || me.roles.some((r) => s.roles?.includes(r)))).map((s) => (
              <Grid.Item key={s.to} onClick={() => navigate(s.to)}>
                <div style={{ background: '#fff', borderRadius: 8, padding: '18px 12px', textAlign: 'center', fontSize: 15 }}>{t(s.key)}</div>
              </Grid.Item>
            ))}
          </Grid>
        </div>
      ) : hits.length === 0 ? (
        <div style={{ padding: 24, color: '#999', textAlign: 'center' }}>{t('search.empty', { q })}</div>
      ) : (
        <List>
          {hits.map((h) => (
            <List.Item
              key={h.code}
              onClick={() => navigate(`/items/${encodeURIComponent(h.code)}`)}
              description={`${h.code}${h.spec ? ` · ${h.spec}` : ''}`}
              extra={<Tag color={Number(h.available) > 0 ? 'success' : 'default'}>{t('search.available', { qty: `${qty(h.available)} ${h.unit}` })}</Tag>}
            >
              {h.name}
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
