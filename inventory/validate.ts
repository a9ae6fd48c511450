import { z } from 'zod';
import { ValidationError, type Issue } from './errors.ts';

/** JSON-path style location of a zod issue: lines[2].qty */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}

const zhCN = z.locales.zhCN();

/**
 * Parses input or throws a ValidationError listing every problem at once,
 * each in English and, from zod's own Chinese, in Chinese (a message a schema
 * spells out itself stays as written). Failing input is parsed a second time
 * for the Chinese: only the refusal path pays for it.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const zh = schema.safeParse(input, { error: zhCN.localeError });
  const zhIssues = zh.success ? [] : zh.error.issues;
  const issues: Issue[] = result.error.issues.map((i, n) => {
    const path = issuePath(i.path) || '(body)';
    const other = zhIssues[n];
    return { path, message: i.message, ...(other && issuePath(other.path) === issuePath(i.path) && other.message !== i.message ? { zh: other.message } : {}) };
  });
  throw new ValidationError(issues);
}

/** Collects domain-level problems so that a caller hears about all of them at once. */
export class IssueList {
  readonly issues: Issue[] = [];
  /** `zh`: the same in Chinese, for readers who asked for it (English is shown when absent). */
  add(path: string, message: string, zh?: string): void {
    this.issues.push({ path, message, ...(zh ? { zh } : {}) });
  }
  throwIfAny(): void {
    if (this.issues.length > 0) throw new ValidationError(this.issues);
  }
}
