/**
 * `npm run demo`: the whole product with a local Slack sandbox in the browser (demo-sandbox.ts).
 * `npm run demo -- --once`: sync the samples, print the summaries and exit (demo-once.ts), for scripts.
 */
const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--once');
if (unknown.length) {
  process.stderr.write(`error: unknown option ${unknown.join(' ')} (npm run demo [-- --once])\n`);
  process.exit(2);
}
await import(args.includes('--once') ? './demo-once.js' : './demo-sandbox.js');
