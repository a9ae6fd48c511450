import { List, Popup, SearchBar } from 'antd-mobile';
import { useState } from 'react';
import { api, ok } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { useDebounced, useLoad } from '../ui.tsx';

export interface PickedItem {
  code: string;
  name: string;
  unit: string;
}

/** A sheet to find an item by code, barcode, name or initials. */
export function ItemPicker({ visible, onClose, onPick }: { visible: boolean; onClose: () => void; onPick: (item: PickedItem) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 200);
  const found = useLoad(async (): Promise<PickedItem[]> => (query ? (await ok(api.items.$get({ query: { q: query } }))).items : []), [query]);
  const hits = found.data ?? [];
  return (
    <Popup visible={visible} onMaskClick={onClose} bodyStyle={{ height: '70vh', overflowY: 'auto' }} destroyOnClose>
      <div style={{ padding: 8 }}>
        <SearchBar placeholder={t('search.placeholder')} value={q} onChange={setQ} autoFocus />
      </div>
      <List>
        {hits.map((h) => (
          <List.Item
            key={h.code}
            description={h.code}
            onClick={() => {
              onPick(h);
              setQ('');
            }}
          >
            {h.name}
          </List.Item>
        ))}
      </List>
    </Popup>
  );
}

/** The item a scanned barcode or code names, or null. */
export async function itemForCode(code: string): Promise<PickedItem | null> {
  const { items } = await ok(api.items.$get({ query: { q: code } }));
  return items.find((h) => h.match === 'barcode' || h.match === 'code') ?? null;
}
