import type { z } from 'zod';
import { ValidationError, type Issue } from './errors.ts';

/** JSON-path style location of a zod issue: lines[2].qty */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}

/** Parses input or throws a ValidationError listing every problem at once. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: Issue[] = result.error.issues.map((i) => ({ path: issuePath(i.path) || '(body)', message: i.message }));
  throw new ValidationError(issues);
}

/** Collects domain-level problems so that a caller hears about all of them at once. */
export class IssueList {
  readonly issues: Issue[] = [];
  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }
  throwIfAny(): void {
    if (this.issues.length > 0) throw new ValidationError(this.issues);
  }
}
