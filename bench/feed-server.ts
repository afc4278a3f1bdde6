/**
 * The fake feed in its own process (its CPU must not count against the sync). Prints its URL.
 * argv: the number of orders, then optionally a JSON object of data options to override
 * (e.g. `{"unmappedChannelRate":0.002,"invalidRate":0.001}` for orders that fail outright).
 */
import { FakeFeed } from '../test/fakes/fake-feed.js';
import { benchDataOptions, GeneratedOrdersSource } from './generated-orders-source.js';

const orders = Number(process.argv[2] ?? 1_000_000);
const overrides = process.argv[3] ? (JSON.parse(process.argv[3]) as Record<string, number>) : {};
const feed = new FakeFeed(new GeneratedOrdersSource({ ...benchDataOptions(orders), ...overrides }), 'bench-token');
const url = await feed.start();
process.stdout.write(`${url}\n`);
process.on('SIGTERM', () => void feed.stop().then(() => process.exit(0)));
