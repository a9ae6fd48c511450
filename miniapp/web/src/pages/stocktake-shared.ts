import { api, ApiError, ok } from '../api.ts';
import type { Translate } from '../i18n.ts';

/** What the stocktake pages share: the sheet as the API gives it, and how a failed call is told. */
export const fetchSheet = (id: string) => ok(api.stocktakes[':id'].$get({ param: { id } }));
export type Sheet = Awaited<ReturnType<typeof fetchSheet>>;

/** A dropped connection is no ApiError: say so in the user's words, so that a second tap (same entry id) is the obvious next step. */
export const asApiError = (err: unknown, t: Translate) => (err instanceof ApiError ? err : new ApiError('NETWORK', t('st.network'), [], 0));

/** An outlined field: empty inputs on white must still look like somewhere to type. */
export const FIELD: React.CSSProperties = { flex: 1, border: '1px solid #ddd', borderRadius: 6, padding: '6px 8px' };
