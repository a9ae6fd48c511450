import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US.js';
import zhCN from 'antd-mobile/es/locales/zh-CN.js';
import { StrictMode, useCallback, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createHashRouter, RouterProvider } from 'react-router';
import { setApiLanguage } from './api.ts';
import { I18n, initialLang, saveLang, translator, type Lang } from './i18n.ts';
import { Layout } from './layout.tsx';
import { SessionGate } from './session.tsx';

/**
 * Pages load when first opened: the home screen's script stays small on a
 * phone's network, and the charts library comes only with the dashboard.
 */
const router = createHashRouter([
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, lazy: async () => ({ Component: (await import('./pages/home.tsx')).HomePage }) },
      { path: 'items/:code', lazy: async () => ({ Component: (await import('./pages/item.tsx')).ItemPage }) },
      { path: 'requests', lazy: async () => ({ Component: (await import('./pages/my-requests.tsx')).MyRequestsPage }) },
      { path: 'requests/new', lazy: async () => ({ Component: (await import('./pages/new-request.tsx')).NewRequestPage }) },
      { path: 'requests/:id', lazy: async () => ({ Component: (await import('./pages/request.tsx')).RequestPage }) },
      { path: 'approvals', lazy: async () => ({ Component: (await import('./pages/approvals.tsx')).ApprovalsPage }) },
      { path: 'warehouse', lazy: async () => ({ Component: (await import('./pages/warehouse.tsx')).WarehousePage }) },
      { path: 'dashboard', lazy: async () => ({ Component: (await import('./pages/dashboard.tsx')).DashboardPage }) },
      { path: 'more', lazy: async () => ({ Component: (await import('./pages/more.tsx')).MorePage }) },
    ],
  },
]);

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
          <RouterProvider router={router} />
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
