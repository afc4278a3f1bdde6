#!/usr/bin/env node
import { runCli } from './cli/program.js';

const code = await runCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
process.exitCode = code;
// Everything is closed by now; a library handle left open (seen: after an Agenda drain) must not
// keep a finished command alive. The timer is unref'd, so it only fires if something else lingers.
setTimeout(() => process.exit(code), 1000).unref();
