import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.js';

/** The real logger, writing its JSON lines here instead of stderr. */
function capturedLogger() {
  const lines: string[] = [];
  const log = createLogger('debug', { write: (line: string) => void lines.push(line) });
  return { log, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const SECRETS = ['tok-top-1', 'pw-top-2', 'Bearer auth-top-3', 'tok-nested-4', 'pw-nested-5', 'Bearer auth-nested-6', 'cred-7', 'cred-8', 'Bearer hdr-9'];

describe('log redaction through the real logger', () => {
  it('replaces credentials, token, password and authorization values at the top level and nested', () => {
    const { log, lines, parsed } = capturedLogger();
    log.info(
      {
        integrationKey: 'shop',
        token: 'tok-top-1',
        password: 'pw-top-2',
        authorization: 'Bearer auth-top-3',
        credentials: { token: 'cred-7' },
        request: { token: 'tok-nested-4', password: 'pw-nested-5', authorization: 'Bearer auth-nested-6', url: 'https://feed.example.com/v1' },
        integration: { key: 'shop', credentials: { password: 'cred-8' } },
        headers: { authorization: 'Bearer hdr-9', accept: 'application/json' },
      },
      'calling the source',
    );
    log.warn({ spec: { credentials: { token: 'cred-7' } } }, 'second line');
    expect(lines).toHaveLength(2);
    const [first, second] = parsed();
    expect(first).toMatchObject({
      level: 30,
      msg: 'calling the source',
      integrationKey: 'shop',
      token: '[redacted]',
      password: '[redacted]',
      authorization: '[redacted]',
      credentials: '[redacted]',
      request: { token: '[redacted]', password: '[redacted]', authorization: '[redacted]', url: 'https://feed.example.com/v1' },
      integration: { key: 'shop', credentials: '[redacted]' },
      headers: { authorization: '[redacted]', accept: 'application/json' },
    });
    expect(second).toMatchObject({ level: 40, msg: 'second line', spec: { credentials: '[redacted]' } });
    const raw = lines.join('');
    for (const secret of SECRETS) expect(raw).not.toContain(secret);
  });

  it('leaves the caller\'s objects untouched and respects the level', () => {
    const lines: string[] = [];
    const quiet = createLogger('warn', { write: (line: string) => void lines.push(line) });
    const fields = { token: 'tok-top-1', nested: { password: 'pw-top-2' } };
    quiet.info(fields, 'below the level');
    quiet.error(fields, 'logged');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'logged', token: '[redacted]', nested: { password: '[redacted]' } });
    expect(fields).toEqual({ token: 'tok-top-1', nested: { password: 'pw-top-2' } });
  });
});
