import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US.js';
import zhCN from 'antd-mobile/es/locales/zh-CN.js';
import { lazy, StrictMode, useCallback, useMemo, useState, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter, Route, Routes } from 'react-router';
import { setApiLanguage } from './api.ts';
import { I18n, initialLang, saveLang, translator, type Lang } from './i18n.ts';
import { Layout } from './layout.tsx';
import { SessionGate } from './session.tsx';

/**
 * Pages load when first opened: the home screen's script stays small on a
 * phone's network, and the charts library comes only with the dashboard.
 */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) => lazy(async () => ({ default: (await load())[name] }));

const HomePage = page(() => import('./pages/home.tsx'), 'HomePage');
const ItemPage = page(() => import('./pages/item.tsx'), 'ItemPage');
const MyRequestsPage = page(() => import('./pages/my-requests.tsx'), 'MyRequestsPage');
const NewRequestPage = page(() => import('./pages/new-request.tsx'), 'NewRequestPage');
const RequestPage = page(() => import('./pages/request.tsx'), 'RequestPage');
const ApprovalsPage = page(() => import('./pages/approvals.tsx'), 'ApprovalsPage');
const WarehousePage = page(() => import('./pages/warehouse.tsx'), 'WarehousePage');
const ImportPage = page(() => import('./pages/import.tsx'), 'ImportPage');
const StocktakesPage = page(() => import('./pages/stocktakes.tsx'), 'StocktakesPage');
const StocktakePage = page(() => import('./pages/stocktake.tsx'), 'StocktakePage');
const DashboardPage = page(() => import('./pages/dashboard.tsx'), 'DashboardPage');
const AdminPage = page(() => import('./pages/admin.tsx'), 'AdminPage');
const AdminItemsPage = page(() => import('./pages/admin-items.tsx'), 'AdminItemsPage');
const AdminWarehousesPage = page(() => import('./pages/admin-warehouses.tsx'), 'AdminWarehousesPage');
const AdminEmployeesPage = page(() => import('./pages/admin-employees.tsx'), 'AdminEmployeesPage');
const AdminPoliciesPage = page(() => import('./pages/admin-policies.tsx'), 'AdminPoliciesPage');
const AdminAlertsPage = page(() => import('./pages/admin-alerts.tsx'), 'AdminAlertsPage');
const AdminSubscriptionsPage = page(() => import('./pages/admin-subscriptions.tsx'), 'AdminSubscriptionsPage');
const MorePage = page(() => import('./pages/more.tsx'), 'MorePage');

/** Declarative routes: the data-router half of react-router (loaders, actions) would add a fifth to the first screen's script. */
function Pages() {
  return (
    <Routes>
      <Route path="/" element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="items/:code" element={<ItemPage />} />
        <Route path="requests" element={<MyRequestsPage />} />
        <Route path="requests/new" element={<NewRequestPage />} />
        <Route path="requests/:id" element={<RequestPage />} />
        <Route path="approvals" element={<ApprovalsPage />} />
        <Route path="warehouse" element={<WarehousePage />} />
        <Route path="import" element={<ImportPage />} />
        <Route path="stocktakes" element={<StocktakesPage />} />
        <Route path="stocktakes/:id" element={<StocktakePage />} />
        <Route path="dashboard" element={<DashboardPage />} />
        <Route path="admin" element={<AdminPage />} />
        <Route path="admin/items" element={<AdminItemsPage />} />
        <Route path="admin/warehouses" element={<AdminWarehousesPage />} />
        <Route path="admin/employees" element={<AdminEmployeesPage />} />
        <Route path="admin/policies" element={<AdminPoliciesPage />} />
        <Route path="admin/alerts" element={<AdminAlertsPage />} />
        <Route path="admin/subscriptions" element={<AdminSubscriptionsPage />} />
        <Route path="more" element={<MorePage />} />
      </Route>
    </Routes>
  );
}

// The locale files are ES modules to the bundler but typed as CommonJS: take `default` when the typing's view is the one that holds.
const unwrap = <T,>(m: T) => ((m as { default?: T }).default ?? m) as T;
type AntLocale = NonNullable<Parameters<typeof ConfigProvider>[0]['locale']>;
const LOCALES = { 'zh-CN': unwrap(zhCN) as unknown as AntLocale, en: unwrap(enUS) as unknown as AntLocale };

function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  setApiLanguage(lang);
  const setLang = useCallback((l: Lang) => {
    saveLang(l);
    setLangState(l);
  }, []);
  const i18n = useMemo(() => ({ lang, t: translator(lang), setLang }), [lang, setLang]);
  return (
    <I18n.Provider value={i18n}>
      <ConfigProvider locale={LOCALES[lang]}>
        <SessionGate>
          <HashRouter>
            <Pages />
          </HashRouter>
        </SessionGate>
      </ConfigProvider>
    </I18n.Provider>
  );
}

document.documentElement.lang = initialLang();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
