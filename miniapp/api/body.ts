import { validator } from 'hono/validator';
import type { z } from 'zod';
import { parseInput } from '../../inventory/validate.ts';

/**
 * A JSON body checked by the verb's own schema: a bad body is refused with
 * every problem listed, and the typed client knows the shape to send.
 */
export const jsonBody = <S extends z.ZodType>(schema: S) => validator('json', (value): z.infer<S> => parseInput(schema, value));
