import type * as z from 'zod/mini';
import { validationFailed } from '../errors.ts';

/** Parses a value with a contract schema, or throws `validation_failed` naming every bad field. */
export function parseWith<T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  where: 'body' | 'query' | 'headers',
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.infer<T>;
  throw validationFailed(
    result.error.issues.map((issue) => {
      const path = [where, ...issue.path.map(String)];
      if (issue.code === 'unrecognized_keys') {
        return {
          path: path.join('.'),
          message: `unknown field(s): ${(issue as { keys: string[] }).keys.join(', ')}`,
        };
      }
      return { path: path.join('.'), message: issue.message };
    }),
  );
}
