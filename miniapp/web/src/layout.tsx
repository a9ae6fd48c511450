import { NavBar, SafeArea, TabBar } from 'antd-mobile';
import { AppOutline, CheckShieldOutline, FileOutline, MoreOutline, TruckOutline } from 'antd-mobile-icons';
import { Suspense } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useI18n, type MessageKey } from './i18n.ts';
import { useMe } from './session.tsx';

const TABS: { path: string; key: MessageKey; icon: JSX.Element; staffOnly?: boolean }[] = [
  { path: '/', key: 'tab.home', icon: <AppOutline /> },
  { path: '/requests', key: 'tab.requests', icon: <FileOutline /> },
  { path: '/approvals', key: 'tab.approvals', icon: <CheckShieldOutline /> },
  { path: '/warehouse', key: 'tab.warehouse', icon: <TruckOutline />, staffOnly: true },
  { path: '/more', key: 'tab.more', icon: <MoreOutline /> },
];

const STAFF = ['warehouse_keeper', 'warehouse_manager', 'admin'];

/** One-handed layout: the page scrolls, the tabs stay under the thumb. */
export function Layout() {
  const { t } = useI18n();
  const { me } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const tabs = TABS.filter((tab) => !tab.staffOnly || me.roles.some((r) => STAFF.includes(r)));
  const active = tabs.find((tab) => tab.path !== '/' && location.pathname.startsWith(tab.path))?.path ?? '/';
  return (
    <div style={{ minHeight: '100vh', paddingBottom: 'calc(56px + env(safe-area-inset-bottom))' }}>
      <Suspense>
        <Outlet />
      </Suspense>
      <div style={{ position: 'fixed', left: 0, right: 0, bottom: 0, background: '#fff', borderTop: '1px solid #eee' }}>
        <TabBar activeKey={active} onChange={(key) => navigate(key)}>
          {tabs.map((tab) => (
            <TabBar.Item key={tab.path} icon={tab.icon} title={t(tab.key)} />
          ))}
        </TabBar>
        <SafeArea position="bottom" />
      </div>
    </div>
  );
}

/** A page's title bar; a back arrow when the page is not a tab. */
export function PageBar({ title, back = true, right }: { title: string; back?: boolean; right?: JSX.Element }) {
  const navigate = useNavigate();
  return (
    <NavBar back={back ? '' : null} onBack={() => navigate(-1)} right={right} style={{ background: '#fff' }}>
      {title}
    </NavBar>
  );
}
