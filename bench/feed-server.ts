/** The fake feed in its own process (its CPU must not count against the sync). Prints its URL. */
import { FakeFeed } from '../test/fakes/fake-feed.js';
import { benchDataOptions, GeneratedOrdersSource } from './generated-orders-source.js';

const orders = Number(process.argv[2] ?? 1_000_000);
const feed = new FakeFeed(new GeneratedOrdersSource(benchDataOptions(orders)), 'bench-token');
const url = await feed.start();
process.stdout.write(`${url}\n`);
process.on('SIGTERM', () => void feed.stop().then(() => process.exit(0)));
