import { Button, Input, List, NoticeBar, ProgressBar, Result, Selector, Space, Toast } from 'antd-mobile';
import { DownlandOutline, UploadOutline } from 'antd-mobile-icons';
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { api, ApiError, download, ok } from '../api.ts';
import { Issues } from '../components/issues.tsx';
import { useI18n, type MessageKey } from '../i18n.ts';
import { PageBar } from '../layout.tsx';
import { useMe } from '../session.tsx';

/** Who may import what; the server checks the same roles again. */
const KINDS = [
  { kind: 'items', roles: ['admin', 'warehouse_manager', 'purchaser'] },
  { kind: 'opening-stock', roles: ['admin', 'warehouse_manager'] },
  { kind: 'employees', roles: ['admin'] },
] as const;
type Kind = (typeof KINDS)[number]['kind'];

const previewFile = async (kind: Kind, file: File) => {
  const body = new FormData();
  body.append('file', file);
  // The route reads the form itself, so the typed client has no `form` for it: the body goes in as-is.
  return ok(api.imports[':kind'].preview.$post({ param: { kind } }, { init: { body } }));
};
type Preview = Awaited<ReturnType<typeof previewFile>>;
const readJob = (id: string) => ok(api.imports.jobs[':id'].$get({ param: { id } }));
type Job = Awaited<ReturnType<typeof readJob>>;

/** A dropped connection rejects with a TypeError; shown like the server's errors. */
const failed = (err: unknown) => (err instanceof ApiError ? err : new ApiError('NETWORK', err instanceof Error ? err.message : String(err), [], 0));

type Step = { at: 'pick' } | { at: 'checking'; file: string } | { at: 'preview'; file: string; preview: Preview } | { at: 'import'; file: string; jobId: string; total: number };

/** Importing from spreadsheets (preview first, then all rows or none) and exporting lists to .xlsx. */
export function ImportPage() {
  const { t } = useI18n();
  const { me } = useMe();
  const kinds = KINDS.filter((k) => me.roles.some((r) => (k.roles as readonly string[]).includes(r))).map((k) => k.kind);
  return (
    <div style={{ paddingBottom: 24 }}>
      <PageBar title={t('imp.title')} />
      {kinds.length > 0 && <ImportSection kinds={kinds} />}
      <ExportSection admin={me.roles.includes('admin')} />
    </div>
  );
}

function ImportSection({ kinds }: { kinds: Kind[] }) {
  const { t, lang } = useI18n();
  const [kind, setKind] = useState<Kind>(kinds[0]!);
  const [step, setStep] = useState<Step>({ at: 'pick' });
  const [error, setError] = useState<ApiError | null>(null);
  const [running, setRunning] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const reset = () => {
    setStep({ at: 'pick' });
    setError(null);
  };

  const picked = async (file: File | undefined) => {
    if (input.current) input.current.value = ''; // so that picking the same file again, once corrected, is noticed
    if (!file) return;
    setError(null);
    setStep({ at: 'checking', file: file.name });
    try {
      setStep({ at: 'preview', file: file.name, preview: await previewFile(kind, file) });
    } catch (err) {
      setError(failed(err));
      setStep({ at: 'pick' });
    }
  };

  const commit = async (file: string, preview: Preview) => {
    setError(null);
    try {
      const job = await ok(api.imports[':previewId'].commit.$post({ param: { previewId: preview.previewId } }));
      setRunning(true);
      setStep({ at: 'import', file, jobId: job.jobId, total: job.total });
    } catch (err) {
      setError(failed(err));
    }
  };

  const busy = step.at === 'checking' || running;
  return (
    <List header={t('imp.import')}>
      <List.Item>
        <Selector
          columns={3}
          value={[kind]}
          disabled={busy}
          onChange={(v) => {
            if (v[0]) setKind(v[0]);
            reset();
          }}
          options={kinds.map((k) => ({ label: t(`imp.kind.${k}` as MessageKey), value: k }))}
        />
        <div style={{ color: '#666', fontSize: 13, margin: '10px 0' }}>{t('imp.hint')}</div>
        <Space block style={{ '--gap': '8px' } as CSSProperties}>
          <Button size="small" onClick={() => void download(`/imports/${kind}/template?lang=${lang}`, `${kind}-template.xlsx`).catch((e: unknown) => setError(failed(e)))}>
            <DownlandOutline /> {t('imp.template')}
          </Button>
          <Button size="small" color="primary" loading={step.at === 'checking'} disabled={busy} onClick={() => input.current?.click()}>
            <UploadOutline /> {t('imp.pick')}
          </Button>
        </Space>
        <input ref={input} type="file" accept=".xlsx,.csv" hidden onChange={(e) => void picked(e.target.files?.[0])} />
      </List.Item>
      {error && (
        <List.Item>
          <Issues error={error} />
        </List.Item>
      )}
      {step.at === 'checking' && <List.Item>{t('imp.checking', { name: step.file })}</List.Item>}
      {step.at === 'preview' && (
        <List.Item>
          <PreviewView file={step.file} preview={step.preview} onCommit={() => commit(step.file, step.preview)} />
        </List.Item>
      )}
      {step.at === 'import' && (
        <List.Item>
          <JobProgress jobId={step.jobId} total={step.total} onEnd={() => setRunning(false)} onAgain={reset} />
        </List.Item>
      )}
    </List>
  );
}

function PreviewView({ file, preview, onCommit }: { file: string; preview: Preview; onCommit: () => Promise<void> }) {
  const { t } = useI18n();
  const [sending, setSending] = useState(false);
  const ready = preview.errorCount === 0 && preview.total > 0;
  return (
    <div data-preview>
      <div style={{ fontSize: 13, color: '#666', wordBreak: 'break-all' }}>{t('imp.file', { name: file })}</div>
      <div style={{ display: 'flex', gap: 16, margin: '8px 0', fontSize: 15 }}>
        <span>{t('imp.total', { n: preview.total.toLocaleString() })}</span>
        <span style={{ color: '#00b578' }}>{t('imp.valid', { n: preview.valid.toLocaleString() })}</span>
        <span data-error-count={preview.errorCount} style={{ color: preview.errorCount ? '#ff3141' : '#999' }}>
          {t('imp.errorCount', { n: preview.errorCount.toLocaleString() })}
        </span>
      </div>
      {preview.errorCount > 0 && (
        <div role="alert">
          <NoticeBar color="error" wrap content={t('imp.hasErrors', { n: preview.errorCount.toLocaleString() })} />
        </div>
      )}
      {preview.errorCount === 0 && preview.total === 0 && <NoticeBar color="alert" wrap content={t('imp.noRows')} />}
      <ErrorList errors={preview.errors} count={preview.errorCount} />
      <SampleTable columns={preview.columns} sample={preview.sample} />
      {ready && (
        <Button
          block
          color="primary"
          size="large"
          loading={sending}
          style={{ marginTop: 12 }}
          onClick={() => {
            setSending(true);
            void onCommit().finally(() => setSending(false));
          }}
        >
          {t('imp.commit', { n: preview.total.toLocaleString() })}
        </Button>
      )}
    </div>
  );
}

/** Up to 1000 errors arrive; a page at a time is drawn, so that a phone stays responsive. */
const PAGE = 50;

function ErrorList({ errors, count }: { errors: Preview['errors']; count: number }) {
  const { t } = useI18n();
  const [shown, setShown] = useState(PAGE);
  if (errors.length === 0) return null;
  const more = Math.min(PAGE, errors.length - shown);
  return (
    <div style={{ marginTop: 8 }}>
      <div style={{ fontWeight: 600, margin: '8px 0 4px' }}>{t('imp.errors')}</div>
      <ol style={{ listStyle: 'none', margin: 0, padding: 0, fontSize: 14 }}>
        {errors.slice(0, shown).map((e, i) => (
          <li key={i} data-error-row={e.row} data-error-column={e.column} style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}>
            <span style={{ color: '#ff3141', fontWeight: 600 }}>
              {t('imp.row', { row: e.row })}
              {e.column && ` · ${e.column}`}
            </span>
            <div style={{ color: '#333' }}>{e.message}</div>
          </li>
        ))}
      </ol>
      {more > 0 && (
        <Button size="small" fill="none" color="primary" onClick={() => setShown((n) => n + PAGE)}>
          {t('imp.showMore', { n: more })}
        </Button>
      )}
      {count > errors.length && <div style={{ color: '#999', fontSize: 13, marginTop: 4 }}>{t('imp.unlisted', { n: (count - errors.length).toLocaleString() })}</div>}
    </div>
  );
}

/** The first rows as the server read them: a wrong column shows before anything is written. */
function SampleTable({ columns, sample }: Pick<Preview, 'columns' | 'sample'>) {
  const { t } = useI18n();
  if (sample.length === 0 || columns.length === 0) return null;
  const cell: CSSProperties = { padding: '4px 8px', borderBottom: '1px solid #f0f0f0', whiteSpace: 'nowrap', maxWidth: 160, overflow: 'hidden', textOverflow: 'ellipsis', textAlign: 'left' };
  return (
    <div style={{ marginTop: 12 }}>
      <div style={{ fontWeight: 600, marginBottom: 4 }}>{t('imp.sample', { n: sample.length })}</div>
      {/* A box of its own: twenty rows would push the import button off the screen. */}
      <div style={{ overflow: 'auto', maxHeight: 200, border: '1px solid #f0f0f0', WebkitOverflowScrolling: 'touch' } as CSSProperties}>
        <table style={{ borderCollapse: 'collapse', fontSize: 12 }}>
          <thead>
            <tr style={{ background: '#f5f5f5', position: 'sticky', top: 0 }}>
              <th style={cell}>{t('imp.rowNo')}</th>
              {columns.map((c) => (
                <th key={c.key} style={cell}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sample.map((s) => (
              <tr key={s.row}>
                <td style={{ ...cell, color: '#999' }}>{s.row}</td>
                {columns.map((c) => (
                  <td key={c.key} style={cell}>
                    {s.values[c.key]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Follows the import job until it ends; the job is one transaction, so a failure has changed nothing. */
function JobProgress({ jobId, total, onEnd, onAgain }: { jobId: string; total: number; onEnd: () => void; onAgain: () => void }) {
  const { t } = useI18n();
  const [job, setJob] = useState<Pick<Job, 'status' | 'done' | 'total' | 'error'>>({ status: 'running', done: 0, total });
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const j = await readJob(jobId);
        if (!live) return;
        setJob(j);
        setError(null);
        if (j.status === 'running') timer = setTimeout(() => void poll(), 500);
        else onEnd();
      } catch (err) {
        if (!live) return;
        const e = failed(err);
        setError(e);
        // A phone's network drops now and then: keep asking; a job the server no longer knows will not come back.
        if (e.status === 404 || e.status === 403) onEnd();
        else timer = setTimeout(() => void poll(), 2000);
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jobId]);

  const percent = job.total > 0 ? Math.floor((job.done / job.total) * 100) : job.status === 'done' ? 100 : 0;
  return (
    <div>
      <div role="progressbar" aria-label={t('imp.progress', { done: job.done, total: job.total })} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} data-status={job.status}>
        <ProgressBar percent={percent} text style={{ '--fill-color': job.status === 'failed' ? '#ff3141' : undefined } as CSSProperties} />
      </div>
      <div style={{ fontSize: 13, color: '#666', marginTop: 4 }}>{t('imp.progress', { done: job.done.toLocaleString(), total: job.total.toLocaleString() })}</div>
      {job.status === 'done' && <Result status="success" title={t('imp.done', { n: job.total.toLocaleString() })} />}
      {job.status === 'failed' && <Result status="error" title={t('imp.failed', { message: job.error?.message ?? '' })} />}
      <Issues error={error} />
      {(job.status !== 'running' || error?.status === 404) && (
        <Button block onClick={onAgain}>
          {t('imp.again')}
        </Button>
      )}
    </div>
  );
}

/** Lists and the ledger as .xlsx; the server leaves out what this employee may not see. */
function ExportSection({ admin }: { admin: boolean }) {
  const { t } = useI18n();
  const { me } = useMe();
  // The company's month so far: the phone's calendar may be a day off it (another time zone).
  const [from, setFrom] = useState(`${me.today.slice(0, 8)}01`);
  const [to, setTo] = useState(me.today);
  const [busy, setBusy] = useState<string | null>(null);

  const fetchFile = async (list: string, query = '') => {
    setBusy(list);
    try {
      await download(`/exports/${list}.xlsx${query}`, `${list}.xlsx`);
    } catch (err) {
      Toast.show({ icon: 'fail', content: failed(err).message });
    } finally {
      setBusy(null);
    }
  };
  const ledgerQuery = () => {
    const q = new URLSearchParams({ ...(from ? { from } : {}), ...(to ? { to } : {}) }).toString();
    return q ? `?${q}` : '';
  };
  const lists = (['items', 'stock', ...(admin ? ['employees'] : [])] as const).map((list) => (
    <Button key={list} block loading={busy === list} disabled={busy !== null} onClick={() => void fetchFile(list)}>
      <DownlandOutline /> {t(`imp.export.${list}` as MessageKey)}
    </Button>
  ));
  const dateStyle = { '--font-size': '15px', border: '1px solid #eee', borderRadius: 4, padding: '4px 8px', flex: 1 } as CSSProperties;

  return (
    <List header={t('imp.export')}>
      <List.Item>
        <Space direction="vertical" block>
          {lists}
        </Space>
      </List.Item>
      <List.Item>
        <div style={{ fontWeight: 600, marginBottom: 8 }}>{t('imp.ledger')}</div>
          <div style={{ display: 'flex', gap: 8 }}>
            <Input type="date" aria-label={t('imp.from')} placeholder={t('imp.from')} value={from} onChange={setFrom} style={dateStyle} />
            <Input type="date" aria-label={t('imp.to')} placeholder={t('imp.to')} value={to} onChange={setTo} style={dateStyle} />
          </div>
          <div style={{ color: '#999', fontSize: 12, margin: '6px 0' }}>{t('imp.ledgerHint')}</div>
          <Button block loading={busy === 'ledger'} disabled={busy !== null} onClick={() => void fetchFile('ledger', ledgerQuery())}>
            <DownlandOutline /> {t('imp.export.ledger')}
          </Button>
      </List.Item>
    </List>
  );
}
