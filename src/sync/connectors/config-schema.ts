import type { z } from 'zod';

/** Turns a zod result into "config.page_size: must be at least 1"-style messages. */
export function describeIssues(prefix: string, result: z.ZodSafeParseResult<unknown>): string[] {
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = issue.path.length ? `${prefix}.${issue.path.join('.')}` : prefix;
    return `${path}: ${issue.message}`;
  });
}
