import { DotLoading, ErrorBlock, Button } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiError } from './api.ts';
import { useI18n, type MessageKey } from './i18n.ts';

/**
 * Loads data for a page and reloads on demand; errors keep the server's words.
 * Only the latest load's answer is kept: a slow answer to an earlier search
 * never replaces the answer to what was typed since.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const latest = useRef(0);
  const run = useCallback(async () => {
    const mine = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await load();
      if (mine === latest.current) setState({ data, loading: false });
    } catch (err) {
      if (mine === latest.current) setState({ error: err as ApiError, loading: false });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    void run();
  }, [run]);
  return { ...state, reload: run };
}

/** The value once it has stopped changing for `ms`: typing asks once per word, not once per key. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Shows loading, an error with retry, or the content. */
export function Loaded<T>({ state, children }: { state: { data?: T; error?: ApiError; loading: boolean; reload: () => Promise<void> }; children: (data: T) => ReactNode }) {
  const { t } = useI18n();
  if (state.error) {
    return (
      <ErrorBlock status="default" title={t('common.error', { message: state.error.message })} description="">
        <Button onClick={() => void state.reload()}>{t('common.retry')}</Button>
      </ErrorBlock>
    );
  }
  if (state.data === undefined) {
    return (
      <div style={{ textAlign: 'center', padding: 32, color: '#999' }}>
        <DotLoading />
      </div>
    );
  }
  return <>{children(state.data)}</>;
}

export const statusKey = (s: string) => `status.${s}` as MessageKey;
export const typeKey = (s: string) => `req.type.${s}` as MessageKey;
export const stageKey = (s: string) => `wh.stage.${s}` as MessageKey;

/** Figures as people read them: trailing zeros dropped, thousands grouped. */
export function qty(text: string | null | undefined): string {
  if (text === null || text === undefined || text === '') return '–';
  const n = Number(text);
  return Number.isFinite(n) ? n.toLocaleString(undefined, { maximumFractionDigits: 6 }) : text;
}

export function money(text: string | null | undefined): string {
  if (text === null || text === undefined) return '–';
  const n = Number(text);
  return Number.isFinite(n) ? `¥${n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : text;
}

export const when = (iso: string) => new Date(iso).toLocaleString(undefined, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
