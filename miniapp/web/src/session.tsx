import { Button, ErrorBlock, List, SpinLoading } from 'antd-mobile';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ok, session, whenSignedOut, type ApiError } from './api.ts';
import { useI18n } from './i18n.ts';
import { detectMessenger, signInSilently } from './platform/messenger.ts';

export interface Me {
  code: string;
  name: string;
  roles: string[];
  seesCost: boolean;
  warehouses: { code: string; name: string }[];
  destinations: { code: string; name: string }[];
  /** The company's date (YYYY-MM-DD). */
  today: string;
}

const MeContext = createContext<{ me: Me; signOut: () => void } | null>(null);

/** The signed-in employee; every page below the gate has one. */
export function useMe() {
  const v = useContext(MeContext);
  if (!v) throw new Error('useMe outside SessionGate');
  return v;
}

type State = { kind: 'loading' } | { kind: 'in'; me: Me } | { kind: 'out'; error?: string };

/**
 * Signs in before anything else renders: silently inside a messenger, by
 * picking a demo employee when the server offers the development sign-in.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const load = async () => {
    try {
      if (!session.get()) {
        const messenger = detectMessenger();
        const options = await ok(api.auth.options.$get());
        const config = messenger ? options.platforms[messenger as keyof typeof options.platforms] : undefined;
        if (!messenger || !config) return setState({ kind: 'out' });
        const got = await signInSilently(messenger, config);
        if (!got) return; // the page is navigating away to the messenger's sign-in
        session.set((await ok(api.auth.sso[':platform'].$post({ param: { platform: got.platform }, json: { code: got.code } }))).token);
      }
      setState({ kind: 'in', me: await ok(api.me.$get()) });
    } catch (err) {
      setState({ kind: 'out', error: (err as ApiError).message });
    }
  };

  useEffect(() => {
    // A session that ran out is renewed the way it began: silently inside a messenger, by the picker elsewhere.
    whenSignedOut(() => {
      setState({ kind: 'loading' });
      void load();
    });
    void load();
  }, []);

  if (state.kind === 'loading') {
    return (
      <div style={{ display: 'flex', justifyContent: 'center', paddingTop: '40vh' }}>
        <SpinLoading />
      </div>
    );
  }
  if (state.kind === 'out') return <DevSignIn error={state.error} onSignedIn={load} />;
  const signOut = () => {
    session.clear();
    setState({ kind: 'out' });
  };
  return <MeContext.Provider value={{ me: state.me, signOut }}>{children}</MeContext.Provider>;
}

function DevSignIn({ error, onSignedIn }: { error?: string | undefined; onSignedIn: () => void }) {
  const { t, lang, setLang } = useI18n();
  const [people, setPeople] = useState<{ code: string; name: string; department: string | null; roles: string[] }[] | null>(null);
  const [offered, setOffered] = useState<boolean | null>(null);

  useEffect(() => {
    void (async () => {
      const options = await ok(api.auth.options.$get());
      setOffered(options.devSignIn);
      if (options.devSignIn) setPeople((await ok(api.auth.dev.people.$get())).people);
    })();
  }, []);

  const pick = async (code: string) => {
    session.set((await ok(api.auth.dev.$post({ json: { code } }))).token);
    onSignedIn();
  };

  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '16px' }}>
        <h2 style={{ margin: 0 }}>{t('appName')}</h2>
        <Button size="small" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
          {t('lang.switch')}
        </Button>
      </div>
      {error && <ErrorBlock status="default" title={t('signIn.failed', { message: error })} description="" />}
      {offered === false && <ErrorBlock status="empty" title={t('signIn.none')} description="" />}
      {people && (
        <List header={t('signIn.dev')}>
          {people.map((p) => (
            <List.Item key={p.code} description={`${p.department ?? ''} · ${p.roles.join(', ')}`} onClick={() => void pick(p.code)} arrowIcon>
              {p.name}（{p.code}）
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
