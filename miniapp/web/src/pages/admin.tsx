import { List } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { useI18n, type MessageKey } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { useMe } from '../session.tsx';

/** The sections, and who may open each: items also for the people who buy and store them; the rest for admins. */
const ADMIN_SECTIONS: { path: string; key: MessageKey; help: MessageKey; roles: string[] }[] = [
  { path: 'items', key: 'adm.items', help: 'adm.itemsHelp', roles: ['admin', 'warehouse_manager', 'purchaser'] },
  { path: 'warehouses', key: 'adm.warehouses', help: 'adm.warehousesHelp', roles: ['admin'] },
  { path: 'employees', key: 'adm.employees', help: 'adm.employeesHelp', roles: ['admin'] },
  { path: 'policies', key: 'adm.policies', help: 'adm.policiesHelp', roles: ['admin'] },
  { path: 'alerts', key: 'adm.alerts', help: 'adm.alertsHelp', roles: ['admin'] },
  { path: 'subscriptions', key: 'adm.subscriptions', help: 'adm.subscriptionsHelp', roles: ['admin'] },
];

/** 管理: a menu of what this employee may set up. */
export function AdminPage() {
  const { t } = useI18n();
  const { me } = useMe();
  const navigate = useNavigate();
  const sections = ADMIN_SECTIONS.filter((s) => s.roles.some((r) => me.roles.includes(r)));
  return (
    <div>
      <PageBar title={t('adm.title')} />
      {sections.length === 0 ? (
        <div style={{ padding: 24, textAlign: 'center', color: '#999' }}>{t('adm.noAccess')}</div>
      ) : (
        <List>
          {sections.map((s) => (
            <List.Item key={s.path} description={t(s.help)} onClick={() => navigate(`/admin/${s.path}`)} arrowIcon>
              {t(s.key)}
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
