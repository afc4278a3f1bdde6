import { runCli } from '../../src/cli/program.js';

/** The `tether` CLI in-process against a test database; returns exit code and output. */
export function cliRunner(databaseUrl: () => string, env: Record<string, string> = {}) {
  return async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { DATABASE_URL: databaseUrl(), TETHER_MODE: 'test', LOG_LEVEL: 'silent', ...env }, {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
    });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };
}
