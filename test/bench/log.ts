/** Every log line goes to stderr, so that `--json` leaves stdout to the one result object. */
const started = performance.now();

export function log(message: string): void {
  const t = ((performance.now() - started) / 1000).toFixed(1).padStart(7);
  process.stderr.write(`[bench ${t}s] ${message}\n`);
}

/** Keeps stray console.log/info output (libraries) off stdout. */
export function routeConsoleToStderr(): void {
  const toStderr = (...args: unknown[]): void => {
    process.stderr.write(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
