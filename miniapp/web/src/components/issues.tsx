import { NoticeBar } from 'antd-mobile';
import type { ApiError } from '../api.ts';
import { useI18n } from '../i18n.ts';

/** Every problem the server found, at once, with where it is. */
export function Issues({ error }: { error: ApiError | null }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div role="alert" style={{ margin: 8 }}>
      <NoticeBar color="error" content={error.message} wrap />
      {error.issues.length > 0 && (
        <ul style={{ color: '#ff3141', fontSize: 13, margin: '4px 0', paddingLeft: 20 }}>
          <li style={{ listStyle: 'none', marginLeft: -20 }}>{t('req.fix')}</li>
          {error.issues.map((i) => (
            <li key={`${i.path}-${i.message}`}>
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
