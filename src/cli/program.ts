import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import { InvalidInput, Refusal } from '../domain/refusals.js';
import { CredentialsUnreadable } from '../domain/secret-box.js';
import { registerCatalog } from './commands/catalog.command.js';
import { describeUnreadable, registerCredentials } from './commands/credentials.command.js';
import { registerExecutions } from './commands/executions.command.js';
import { registerHealth } from './commands/health.command.js';
import { registerIntegrations } from './commands/integrations.command.js';
import { registerMigrate } from './commands/migrate.command.js';
import { registerPurge } from './commands/purge.command.js';
import { registerReset } from './commands/reset.command.js';
import { registerSchedule } from './commands/schedule.command.js';
import { registerSync } from './commands/sync.command.js';
import { registerWorker } from './commands/worker.command.js';
import { CliContext, type CliIo } from './context.js';
import { refusalText } from './hints.js';
import { EXIT } from './usage-error.js';

export type { CliIo } from './context.js';

/** Runs one `tether` command; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const ctx = new CliContext(argv, env, io);
  let exitCode: number = EXIT.ok;
  const program = new Command('tether')
    .description('Tether Sync: run and inspect commerce data syncs')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) });
  registerMigrate(program, ctx);
  registerIntegrations(program, ctx);
  registerCatalog(program, ctx);
  registerSync(program, ctx, (code) => (exitCode = code));
  registerExecutions(program, ctx);
  registerReset(program, ctx);
  registerPurge(program, ctx);
  registerSchedule(program, ctx);
  registerHealth(program, ctx);
  registerWorker(program, ctx);
  registerCredentials(program, ctx, (code) => (exitCode = code));
  program.commands.forEach(function inherit(command: Command) {
    command.exitOverride().configureOutput(program.configureOutput());
    command.commands.forEach(inherit);
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io, env);
  } finally {
    await ctx.close();
  }
}

/** One line on stderr and an exit code; a stack trace only when LOG_LEVEL asks for debug. */
function reportError(error: unknown, io: CliIo, env: NodeJS.ProcessEnv): number {
  if (error instanceof CommanderError) {
    // Help and version are not errors; commander already printed its own message otherwise.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help'
      ? EXIT.ok
      : EXIT.usage;
  }
  if (error instanceof Refusal) {
    io.err(`error: ${refusalText(error)}`);
    return error.code === 'scheduler_unavailable' ? EXIT.syncFailed : EXIT.usage;
  }
  if (error instanceof CredentialsUnreadable) {
    io.err(`error: ${describeUnreadable(error)}`);
    return EXIT.usage;
  }
  if (error instanceof InvalidInput || error instanceof ConfigError) {
    io.err(`error: ${error.message}`);
    return EXIT.usage;
  }
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000') {
    io.err(`error: cannot reach PostgreSQL (check DATABASE_URL and that the server is up): ${(error as Error).message}`);
    return EXIT.syncFailed;
  }
  io.err(`error: unexpected failure: ${(error as Error)?.message ?? String(error)}`);
  if (env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace') io.err(String((error as Error)?.stack));
  return EXIT.syncFailed;
}
