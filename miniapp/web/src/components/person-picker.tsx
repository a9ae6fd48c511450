import { List, Popup, SearchBar } from 'antd-mobile';
import { useState } from 'react';
import { api, ok } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { useDebounced, useLoad } from '../ui.tsx';

export interface PickedPerson {
  code: string;
  name: string;
  department: string | null;
}

/** A sheet to find a colleague by name or code (delegating an approval, for one). */
export function PersonPicker({ visible, title, onClose, onPick }: { visible: boolean; title: string; onClose: () => void; onPick: (p: PickedPerson) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 200);
  const found = useLoad(async (): Promise<PickedPerson[]> => (visible ? (await ok(api.people.$get({ query: { q: query } }))).people : []), [query, visible]);
  const people = found.data ?? [];
  return (
    <Popup visible={visible} onMaskClick={onClose} bodyStyle={{ height: '70vh', overflowY: 'auto' }} destroyOnClose>
      <div style={{ padding: '12px 12px 0', fontWeight: 600 }}>{title}</div>
      <div style={{ padding: 8 }}>
        <SearchBar placeholder={t('people.search')} value={q} onChange={setQ} />
      </div>
      <List>
        {people.map((p) => (
          <List.Item key={p.code} description={`${p.code}${p.department ? ` · ${p.department}` : ''}`} onClick={() => onPick(p)}>
            {p.name}
          </List.Item>
        ))}
      </List>
    </Popup>
  );
}
