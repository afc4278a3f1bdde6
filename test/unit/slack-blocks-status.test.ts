import { describe, expect, it } from 'vitest';
import { historyMessage, scheduleMessage, statusMessage } from '../../src/slack/blocks/status.js';
import type { StatusCard } from '../../src/slack/blocks/types.js';
import { allText, checkMessage } from './slack-blocks-checker.js';
import {
  AMPERSANDS,
  AT,
  card,
  execution,
  healthy,
  healthView,
  HOSTILE,
  HOSTILE_LONG,
  hostileIntegration,
  integration,
  manyCards,
  scheduleView,
} from './slack-blocks-fixtures.js';

const scheduleOf = (overrides: Parameters<typeof scheduleView>[0] = {}): StatusCard['schedule'] => {
  const { integration: _, enabled: __, ...schedule } = scheduleView(overrides);
  return schedule;
};

describe('statusMessage', () => {
  it('one compact section per integration × domain type', () => {
    const cards = [
      card(),
      card({ domainType: 'warehouse_inventory', lastExecution: null, schedule: null }),
      card({ integration: integration({ key: 'csv-stock', name: 'CSV stock', enabled: false, dryRun: true }), lastExecution: execution({ status: 'failed', dryRun: true }) }),
    ];
    const message = statusMessage(cards, {});
    expect(checkMessage(message)).toEqual([]);
    expect(message.blocks).toHaveLength(2 + 3);
    const text = allText(message);
    expect(text).toContain('2 integrations · 3 domain types · :x: 1 last run failed');
    expect(text).toContain(':warning: *Shopify EU* `shopify-eu` · `sales_orders`\nLast run <!date^1772962200^');
    expect(text).toContain(':white_circle: *Shopify EU* `shopify-eu` · `warehouse_inventory`\nNever run yet\nNo schedule: runs only when asked');
    expect(text).toContain(':x: *CSV stock* `csv-stock` · `sales_orders` · :zzz: disabled · :test_tube: dry run mode');
    expect(message.text).toContain('Sync status: 2 integrations');
  });

  it('puts the stale flag and warnings in words', () => {
    const never = { state: 'never' } as const;
    const cards = [
      card({ schedule: scheduleOf({ assessment: { stale: true, reasons: [{ code: 'disabled' }, { code: 'no_worker', worker: never }], warnings: [], worker: never } }) }),
      card({ domainType: 'warehouse_inventory', schedule: scheduleOf({ assessment: { stale: true, reasons: [{ code: 'unknown' }], warnings: [], worker: { state: 'alive', lastSeenAt: AT } } }) }),
      card({
        integration: integration({ key: 'b' }),
        schedule: scheduleOf({ assessment: { stale: false, reasons: [], warnings: [{ code: 'failing', failedRuns: 3 }], worker: { state: 'alive', lastSeenAt: AT } } }),
      }),
    ];
    const text = allText(statusMessage(cards, { integrationKey: 'shopify-eu' }));
    expect(text).toContain(':rotating_light: *Stale*: the integration is disabled; no worker alive: none has ever run');
    expect(text).toContain(':rotating_light: *Stale*: no known cause: check the worker logs');
    expect(text).toContain(':warning: the last 3 runs failed');
    expect(text).toContain(':rotating_light: 2 stale');
  });

  it('has empty states', () => {
    expect(allText(statusMessage([], {}))).toContain('No integrations yet — apply an integrations file');
    const one = statusMessage([], { integrationKey: '<!channel>' });
    expect(checkMessage(one)).toEqual([]);
    expect(allText(one)).toContain('No status for `&lt;!channel&gt;` yet.');
  });

  it('stays within 50 blocks with 200 integrations, and says how many more', () => {
    const message = statusMessage(manyCards(200), {});
    expect(checkMessage(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    // 47 cards fit; the cut falls between integrations: 23 whole integrations shown.
    expect(allText(message)).toContain('…and 177 more integrations — use `/tether status &lt;integration&gt;`');
  });

  it('keeps hostile names, schedules and errors inert', () => {
    const cards = [
      card({ integration: hostileIntegration(), schedule: scheduleOf({ description: HOSTILE_LONG, cron: AMPERSANDS, timezone: HOSTILE_LONG }) }),
    ];
    const message = statusMessage(cards, { integrationKey: HOSTILE_LONG });
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toContain('&lt;!channel&gt;');
  });
});

describe('statusMessage and cards: health', () => {
  const attentionAll = (reason: string) => {
    const health = healthView();
    for (const key of Object.keys(health.indicators) as (keyof typeof health.indicators)[]) health.indicators[key] = { state: 'attention', reason };
    return health;
  };

  it('shows the health word with a badge, the reasons needing attention and one compact trend line', () => {
    const message = statusMessage([card({ health: healthView() })], {});
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain(
      '*Health*: :warning: needs attention — Fetched 0 records; the last 20 runs fetched 1,180 to 1,260\nfetched ▇█▇███▇▁ · failed ▁▁▁█▁▁▁▁ · duration ▁▁█▁▁▁▁▅',
    );
    expect(text).toContain(':warning: 1 needs attention');
  });

  it('has a word for every overall state, and no reasons when nothing needs attention', () => {
    const calm = healthView({ overall: 'healthy' });
    calm.indicators.fetched = { state: 'healthy', reason: 'In line with recent runs' };
    expect(allText(statusMessage([card({ health: calm })], {}))).toContain('*Health*: :large_green_circle: healthy\nfetched ');
    const young = healthView({ overall: 'not_enough_history', trends: { recordsFetched: [], failed: [], durationMs: [] } });
    young.indicators.fetched = { state: 'not_enough_history', reason: 'Only 2 runs so far' };
    const text = allText(statusMessage([card({ health: young })], {}));
    expect(text).toContain('*Health*: :white_circle: not enough history');
    expect(text).not.toContain('fetched ▄');
    expect(text).not.toContain('need attention');
    // No health given: no health line (older callers).
    expect(allText(statusMessage([card()], {}))).not.toContain('*Health*');
  });

  it('lists at most two reasons, then "…and N more"', () => {
    const text = allText(statusMessage([card({ health: attentionAll('Something is off') })], {}));
    expect(text).toContain('— Something is off; Something is off; …and 3 more');
    expect(text).toContain(':warning: 1 needs attention');
  });

  it('keeps hostile reasons inert, and 200 integrations with health within 50 blocks', () => {
    const cards = manyCards(200).map((c, i) => ({ ...c, health: i % 3 ? healthView() : attentionAll(i % 2 ? HOSTILE_LONG : HOSTILE) }));
    const message = statusMessage(cards, {});
    expect(checkMessage(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(allText(message)).toContain('— &lt;!channel&gt;');
    expect(allText(message)).toContain(':warning: 400 need attention');
  });
});

describe('historyMessage', () => {
  it('one line per execution: id, status, trigger, started, duration, fetched, s/f/s', () => {
    const executions = [
      execution({ id: 3, status: 'running', finishedAt: null, durationMs: null }),
      execution({ id: 2, domainType: 'warehouse_inventory', status: 'success', dryRun: true, trigger: 'scheduled' }),
      execution({ id: 1, status: 'failed', trigger: 'full_resync', carriedOver: 0 }),
    ];
    const message = historyMessage(integration(), executions);
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain(':arrows_counterclockwise: `#3` running · `sales_orders` · manual · <!date^1772962200^{date_short_pretty} {time}|2026-03-08 09:30 UTC> · — · 1,200 fetched + 12 carried over · 1,190 / 10 / 12');
    expect(text).toContain(':white_check_mark: `#2` success · `warehouse_inventory` · scheduled · ');
    expect(text).toContain(' · :test_tube: dry run');
    expect(text).toContain(':x: `#1` failed · `sales_orders` · full re-sync · <!date^1772962200^{date_short_pretty} {time}|2026-03-08 09:30 UTC> · 1 min 05 s · 1,200 fetched · 1,190 / 10 / 12');
    expect(text).toContain('counts are success / failed / skipped');
    expect(message.text).toContain('History of Shopify EU: 3 executions, newest #3 running');
  });

  it('has an empty state', () => {
    const message = historyMessage(integration(), []);
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toContain('No executions of *Shopify EU* `shopify-eu` yet');
  });

  it('stays valid with 1,000 executions and hostile names', () => {
    const executions = Array.from({ length: 1000 }, (_, i) => execution({ id: 100_000 + i, triggeredBy: HOSTILE_LONG }));
    const message = historyMessage(hostileIntegration(), executions);
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toMatch(/…and [\d,]+ more executions/);
  });
});

describe('scheduleMessage', () => {
  it('cron, words, zone, last and next sync, next runs, workers', () => {
    const message = scheduleMessage(integration(), scheduleView());
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('*Cron*\n`*/15 * * * *`');
    expect(text).toContain('*Means*\nEvery 15 minutes (Europe/Berlin)');
    expect(text).toContain('*Zone*\nEurope/Berlin');
    expect(text).toContain('*Last sync*\n<!date^1772962200^');
    expect(text).toContain('*Next sync*\n<!date^1772963100^');
    expect(text).toContain('*Next runs*\n• <!date^1772964000^');
    expect(text).toContain('*Workers*\n:large_green_circle: alive');
    expect(text).not.toContain('Stale');
    expect(message.text).toBe('Schedule of Shopify EU: Every 15 minutes (Europe/Berlin)');
  });

  it('stale with its reasons, and warnings', () => {
    const down = { state: 'down', lastSeenAt: AT, stoppedAt: AT } as const;
    const stale = scheduleMessage(integration(), scheduleView({ assessment: { stale: true, reasons: [{ code: 'failing', failedRuns: 3 }, { code: 'no_worker', worker: down }], warnings: [], worker: down } }));
    expect(checkMessage(stale)).toEqual([]);
    expect(allText(stale)).toContain(':rotating_light: *Stale*: the last 3 runs failed; no worker alive: the last one stopped <!date^1772962200^');
    expect(allText(stale)).toContain('*Workers*\n:red_circle: none alive; the last one stopped <!date^');
    expect(stale.text).toContain('STALE');

    const warned = scheduleMessage(integration({ enabled: false }), scheduleView({ enabled: false, nextRuns: [], assessment: { ...healthy(), warnings: [{ code: 'disabled' }] } }));
    expect(allText(warned)).toContain(':warning: *Warnings*: the integration is disabled');
    expect(allText(warned)).toContain('*Next sync*\nnone while disabled');
    expect(allText(warned)).toContain(':zzz: disabled');
  });

  it('without a cron: runs only when asked', () => {
    const message = scheduleMessage(integration(), scheduleView({ cron: null, description: null, nextRuns: [], assessment: { ...healthy(), worker: { state: 'never' } } }));
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toContain('No schedule: it runs only when asked (`/tether sync shopify-eu`).');
    expect(allText(message)).toContain('*Workers*: :red_circle: none has ever run');
  });

  it('stays valid with hostile values and 1,000 next runs', () => {
    const view = scheduleView({
      cron: HOSTILE_LONG,
      description: HOSTILE_LONG,
      timezone: AMPERSANDS,
      nextRuns: Array.from({ length: 1000 }, (_, i) => new Date(AT.getTime() + i * 60_000)),
    });
    const message = scheduleMessage(hostileIntegration(), view);
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toContain('…and 989 more');
  });
});
