/**
 * Where "open in the mini-app" leads. One place builds every deep link so the
 * mini-app's routes are named once.
 */
export interface Links {
  item(code: string): string;
  request(id: number): string;
  newRequest(prefill: Record<string, string>): string;
  dashboard(warehouse: string | null): string;
}

export function linksFor(publicUrl: string): Links {
  const base = `${publicUrl.replace(/\/$/, '')}/app/#`;
  return {
    item: (code) => `${base}/items/${encodeURIComponent(code)}`,
    request: (id) => `${base}/requests/${id}`,
    newRequest: (prefill) => `${base}/requests/new?${new URLSearchParams(prefill).toString()}`,
    dashboard: (warehouse) => `${base}/dashboard${warehouse ? `?warehouse=${encodeURIComponent(warehouse)}` : ''}`,
  };
}
