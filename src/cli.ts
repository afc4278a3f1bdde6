#!/usr/bin/env node
import { runCli } from './cli/program.js';

const stderr = process.stderr;
const code = await runCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => stderr.write(`${text}\n`),
  // Progress only on a terminal: one line, redrawn in place.
  progress: stderr.isTTY ? (line) => stderr.write(line === null ? '\r\x1b[2K' : `\r\x1b[2K${line.slice(0, Math.max(20, (stderr.columns ?? 100) - 1))}`) : undefined,
});
process.exitCode = code;
// Everything is closed by now; a library handle left open (seen: after an Agenda drain) must not
// keep a finished command alive. The timer is unref'd, so it only fires if something else lingers.
setTimeout(() => process.exit(code), 1000).unref();
