import type { Command } from 'commander';
import { DEV_ENCRYPTION_KEY } from '../../config/config.js';
import { CredentialsUnreadable, keyIdOf } from '../../domain/secret-box.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../usage-error.js';

const DEV_KEY_ID = keyIdOf(Buffer.from(DEV_ENCRYPTION_KEY, 'base64'));
const REKEY = 'tether credentials rekey';
const REPLACE = 'tether integrations apply <file> --replace-unreadable-credentials';

/** What to do about credentials that do not open: the CLI's words for every command that meets them. */
export function credentialsWayOut(errors: CredentialsUnreadable[]): string {
  const keyIds = [...new Set(errors.map((error) => error.foundKeyId).filter((id): id is string => id !== null))];
  const named = keyIds.map((id) => (id === DEV_KEY_ID ? `${id} (the built-in dev key of TETHER_MODE=demo|test)` : id));
  if (errors.some((error) => error.reason === 'unknown_key')) {
    return (
      'To fix: keep the new key in TETHER_ENCRYPTION_KEY, set TETHER_PREVIOUS_KEYS to the key they were sealed with' +
      `${named.length ? ` (key id ${named.join(', ')})` : ''}, and run ${REKEY}; ` +
      `if that key is lost, re-enter them from the integrations file with ${REPLACE}.`
    );
  }
  return `To fix: re-enter them from the integrations file with ${REPLACE}.`;
}

/** One line of reason, one line of way out. */
export function describeUnreadable(error: CredentialsUnreadable): string {
  return `${error.message}.\n${credentialsWayOut([error])}`;
}

export function registerCredentials(program: Command, ctx: CliContext, setExitCode: (code: number) => void): void {
  const credentials = program.command('credentials').description('integration credentials sealed at rest');

  credentials
    .command('rekey')
    .description(
      'seal every integration\'s credentials again with the current TETHER_ENCRYPTION_KEY (after a key change, with the old key in ' +
        'TETHER_PREVIOUS_KEYS); all or nothing, idempotent, audited',
    )
    .option('--by <who>', 'who is rekeying, for the audit log')
    .option('--json', 'print the result as JSON')
    .action(async (options: { by?: string; json?: boolean }) => {
      const services = await ctx.services();
      const result = await services.admin.rekeyCredentials(ctx.actor(options.by));
      if (options.json) {
        ctx.json({
          keyId: result.keyId,
          resealed: result.resealed,
          alreadyCurrent: result.alreadyCurrent,
          unreadable: result.unreadable.map((error) => ({ integration: error.integrationKey, reason: error.reason, keyId: error.foundKeyId })),
        });
      }
      if (result.unreadable.length) {
        const count = result.unreadable.length;
        ctx.err(
          [
            `error: nothing was re-sealed: the credentials of ${count} integration${count === 1 ? '' : 's'} ` +
              `(${result.unreadable.map((error) => error.integrationKey).join(', ')}) cannot be opened with any known key:`,
            ...result.unreadable.map((error) => `  ${error.message}`),
            credentialsWayOut(result.unreadable),
          ].join('\n'),
        );
        setExitCode(EXIT.usage);
        return;
      }
      if (options.json) return;
      const list = (keys: string[]) => (keys.length ? ` (${keys.join(', ')})` : '');
      ctx.out(
        [
          `Re-sealed with key ${result.keyId}: ${result.resealed.length}${list(result.resealed)}`,
          `Already current: ${result.alreadyCurrent.length}${list(result.alreadyCurrent)}`,
        ].join('\n'),
      );
    });
}
