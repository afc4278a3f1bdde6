import type { Logger } from '../../src/sync/ports.js';

export interface LogLine {
  level: string;
  msg: string | undefined;
  fields: Record<string, unknown>;
}

/** A logger that keeps every line, to assert what operators would see. */
export function captureLog(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (fields: object, msg?: string) => lines.push({ level, msg, fields: fields as Record<string, unknown> });
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}
