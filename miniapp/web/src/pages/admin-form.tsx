import { Button, Popup, Toast } from 'antd-mobile';
import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { api, ok, type ApiError } from '../api.ts';
import { Issues } from '../components/issues.tsx';
import { useI18n, type MessageKey } from '../i18n.ts';
import { useLoad } from '../ui.tsx';

/**
 * Sending an admin form: the server is the one that checks it, so a field
 * left empty is left out and a number that does not read as one is sent as
 * typed, for the server to name. Every objection comes back at once.
 */
export function useSave() {
  const { t } = useI18n();
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const run = async <T,>(send: () => Promise<T>, said?: (result: T) => string): Promise<T | null> => {
    setSaving(true);
    setError(null);
    try {
      const result = await send();
      Toast.show({ icon: 'success', content: said ? said(result) : t('adm.saved') });
      return result;
    } catch (err) {
      setError(err as ApiError);
      return null;
    } finally {
      setSaving(false);
    }
  };
  // The form is taller than a phone and the button is at its foot: bring the list of problems into view.
  // An effect runs once the list is on the page; a frame scheduled at setError could run before React drew it.
  useEffect(() => {
    if (error) Array.from(document.querySelectorAll('[data-form] [role="alert"]')).pop()?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [error]);
  return { error, saving, run, clear: () => setError(null) };
}

/** Text as typed, or nothing when blank. */
export const text = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

/** A whole number when it reads as one; otherwise the text itself, which the server refuses by name. */
export const whole = (s: string): number | undefined => {
  const v = text(s);
  if (v === undefined) return undefined;
  return /^-?\d+$/.test(v) ? Number(v) : (v as unknown as number);
};

/** The vocabularies the forms offer (roles, request types, tracking, platforms, topics), as the server knows them. */
export function useAdminMeta() {
  return useLoad(() => ok(api.admin.meta.$get()), []);
}

export const muted = { color: '#999', fontSize: 12 } as const;

/** A bottom sheet's body: a form taller than the phone scrolls inside it. */
export const sheet = { maxHeight: '90vh', overflowY: 'auto', borderTopLeftRadius: 12, borderTopRightRadius: 12 } as const;

/** Text as typed, or null when blank: an edit clears an optional field by sending null. */
export const orNull = (s: string): string | null => text(s) ?? null;

/** A whole number as `whole` reads it, or null when blank. */
export const wholeOrNull = (s: string): number | null => whole(s) ?? null;

/**
 * The fields of an edit that differ from what was loaded. An edit sends only
 * these, so a field the admin did not touch is never rewritten with what the
 * form made of it (a decimal reformatted, an empty text turned into null).
 */
export function changed<T extends Record<string, unknown>>(before: T, after: T): Partial<T> {
  return Object.fromEntries(Object.entries(after).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k]))) as Partial<T>;
}

/**
 * A bottom sheet holding one form while `open` is set (a code, a draft, or
 * true): tapping outside closes it, and the form's `saved` closes it and
 * reloads what the page lists.
 */
export function FormSheet<T>({
  open,
  close,
  reload,
  style = sheet,
  children,
}: {
  open: T | null | false;
  close: () => void;
  reload?: () => void;
  style?: CSSProperties;
  children: (value: T, done: { saved: () => void; cancel: () => void }) => ReactNode;
}) {
  const shown = open !== null && open !== false;
  return (
    <Popup visible={shown} onMaskClick={close} bodyStyle={style} destroyOnClose>
      {shown &&
        children(open as T, {
          saved: () => {
            close();
            reload?.();
          },
          cancel: close,
        })}
    </Popup>
  );
}

/**
 * The foot of an admin form: what the server objected to, then Cancel and
 * the form's action (Save unless `label` says otherwise).
 */
export function FormActions({
  save,
  onCancel,
  onSubmit,
  label = 'common.save',
  disabled = false,
  style,
}: {
  save: { error: ApiError | null; saving: boolean };
  onCancel: () => void;
  onSubmit: () => void;
  label?: MessageKey;
  disabled?: boolean;
  style?: CSSProperties;
}) {
  const { t } = useI18n();
  return (
    <>
      <Issues error={save.error} />
      <div style={{ display: 'flex', gap: 8, padding: 12, ...style }}>
        <Button block onClick={onCancel}>{t('common.cancel')}</Button>
        <Button block color="primary" loading={save.saving} disabled={disabled} onClick={onSubmit}>{t(label)}</Button>
      </div>
    </>
  );
}
