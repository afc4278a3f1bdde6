import { describe, expect, it } from 'vitest';
import { EXECUTION_STATUSES } from '../../src/domain/statuses.js';
import { ERROR_CATEGORIES, ITEM_ISSUE_HINTS } from '../../src/domain/sync-errors.js';
import { alertFollowup, healthAlertMessage } from '../../src/slack/blocks/health-alert.js';
import { errorMessage, helpMessage, SUBCOMMAND_NAMES, usageLine } from '../../src/slack/blocks/help.js';
import { adminRefusal, resetNotice } from '../../src/slack/blocks/reset.js';
import { runMessage } from '../../src/slack/blocks/run-message.js';
import { unmappedAlert } from '../../src/slack/blocks/unmapped-alert.js';
import { ACTIONS, BLOCKS } from '../../src/slack/ids.js';
import { allText, buttons, checkMessage } from './slack-blocks-checker.js';
import {
  alertInput,
  AMPERSANDS,
  AT,
  execution,
  healthView,
  HOSTILE,
  HOSTILE_LONG,
  hostileIntegration,
  integration,
  REQUESTER,
} from './slack-blocks-fixtures.js';

const ESCAPED_HOSTILE = '&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click me&gt; &amp;amp;';

describe('helpMessage', () => {
  it('lists every subcommand with a description and an example', () => {
    const message = helpMessage();
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    for (const name of SUBCOMMAND_NAMES) expect(text).toContain(`/tether ${name}`);
    expect(text).toContain('/tether sync &lt;integration&gt; [domain] [dry-run]');
    expect(text).toContain('/tether items &lt;execution-id&gt; [status] [search text]');
    expect(text).toContain('Example: `/tether sync shopify-eu sales_orders dry-run`');
    expect(text).toMatch(/reset &lt;integration&gt; \[domain\]`\*  :lock: _admins_/);
    expect(message.text).toContain('help, sync, status, history, items, reset, schedule');
  });

  it('usage lines are plain text', () => {
    expect(usageLine('sync')).toBe('/tether sync <integration> [domain] [dry-run]');
    expect(usageLine('help')).toBe('/tether help');
  });
});

describe('errorMessage', () => {
  it('says what was wrong, the usage line and did you mean', () => {
    const message = errorMessage('Unknown integration "shopfy-eu"', { usage: 'sync', suggestion: 'shopify-eu' });
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('Unknown integration "shopfy-eu"');
    expect(text).toContain('Did you mean `shopify-eu`?');
    expect(text).toContain('Usage: `/tether sync &lt;integration&gt; [domain] [dry-run]`');
    expect(message.text).toContain('Did you mean `shopify-eu`?');
  });

  it('takes a usage line too, and several suggestions', () => {
    const text = allText(errorMessage('Unknown subcommand "stats"', { usage: usageLine('status'), suggestion: ['status', 'schedule'] }));
    expect(text).toContain('Usage: `/tether status [integration]`');
    expect(text).toContain('Did you mean `status` or `schedule`?');
  });

  it('keeps what the person typed inert, however long', () => {
    const message = errorMessage(`Unknown integration "${HOSTILE_LONG}"`, { usage: HOSTILE_LONG, suggestion: HOSTILE_LONG });
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toContain('&lt;!channel&gt;');
  });
});

describe('runMessage: the execution summary', () => {
  it('shows status badge and word, counts, duration, trigger and who, top errors, unmapped counts', () => {
    const message = runMessage({ execution: execution(), integration: integration(), requestedBy: REQUESTER });
    expect(checkMessage(message, { allowedUsers: [REQUESTER] })).toEqual([]);
    const text = allText(message);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: ':warning: Partial · Shopify EU · sales_orders' } });
    expect(text).toContain('*Trigger*\nmanual by <@U0REQUESTER>');
    expect(text).toContain('*Started*\n<!date^1772962200^{date_short_pretty} {time}|2026-03-08 09:30 UTC>');
    expect(text).toContain('*Duration*\n1 min 05 s');
    expect(text).toContain('*Fetched*\n1,200 records (+ 12 carried over)');
    expect(text).toContain('*Items*\n1,190 success · 10 failed · 12 skipped');
    expect(text).toContain('*Carried over*\n12 problem records from earlier runs');
    expect(text).toContain('• *7×* Unmapped SKU "SKU-RED-1"');
    expect(text).toContain(`2 unmapped SKUs* (9 occurrences) — ${ITEM_ISSUE_HINTS.unmapped_sku}`);
    expect(text).toContain(`1 unmapped channel* (1 occurrence) — ${ITEM_ISSUE_HINTS.unmapped_channel}`);
    expect(text).not.toContain('DRY RUN');
    expect(message.text).toBe(':warning: Partial: Shopify EU sales_orders sync #1234 — 1,200 records (+ 12 carried over); 1,190 success · 10 failed · 12 skipped');
  });

  it('has the buttons with parseable JSON values in the run actions block', () => {
    const message = runMessage({ execution: execution({ dryRun: true }), integration: integration() });
    const actions = message.blocks.find((block) => block.type === 'actions');
    expect(actions?.block_id).toBe(BLOCKS.runActions);
    const [items, again] = buttons(message);
    expect(items).toMatchObject({ action_id: ACTIONS.openItems, text: { text: 'View failed items' } });
    expect(JSON.parse(items!.value)).toEqual({ executionId: 1234, status: 'problems' });
    expect(again).toMatchObject({ action_id: ACTIONS.syncAgain });
    expect(JSON.parse(again!.value)).toEqual({ integrationKey: 'shopify-eu', domainType: 'sales_orders', dryRun: true });
  });

  it('offers Retry failed items after a live run that failed some records, with the pair and the run', () => {
    const message = runMessage({ execution: execution(), integration: integration() });
    expect(checkMessage(message)).toEqual([]);
    expect(buttons(message).map((b) => b.action_id)).toEqual([ACTIONS.openItems, ACTIONS.retryFailed, ACTIONS.syncAgain]);
    const retry = buttons(message).find((b) => b.action_id === ACTIONS.retryFailed)!;
    expect(retry.text.text).toBe('Retry failed items');
    expect(JSON.parse(retry.value)).toEqual({ integrationKey: 'shopify-eu', domainType: 'sales_orders', executionId: 1234 });
    for (const status of ['failed', 'interrupted', 'partial'] as const) {
      expect(buttons(runMessage({ execution: execution({ status }), integration: integration() })).map((b) => b.action_id)).toContain(ACTIONS.retryFailed);
    }
  });

  it('offers no Retry after a dry run, a cancelled run, a run with nothing failed, or while running', () => {
    const cases = [
      execution({ dryRun: true }),
      execution({ status: 'cancelled' }),
      execution({ status: 'success', failedCount: 0 }),
      execution({ status: 'running', finishedAt: null, durationMs: null }),
    ];
    for (const e of cases) expect(buttons(runMessage({ execution: e, integration: integration() })).map((b) => b.action_id)).not.toContain(ACTIONS.retryFailed);
  });

  it('leaves out the buttons whose value would not fit, never cuts them', () => {
    const message = runMessage({ execution: execution({ integrationKey: 'k'.repeat(2000) }), integration: integration() });
    expect(checkMessage(message)).toEqual([]);
    expect(buttons(message).map((b) => b.action_id)).toEqual([ACTIONS.openItems]);
  });

  it('offers failed items only when something failed', () => {
    const message = runMessage({ execution: execution({ status: 'success', failedCount: 0, errorAnalysis: null }), integration: integration() });
    expect(buttons(message).map((b) => b.action_id)).toEqual([ACTIONS.syncAgain]);
    expect(message.blocks[0]).toMatchObject({ text: { text: ':white_check_mark: Success · Shopify EU · sales_orders' } });
  });

  it('shows the dry-run marker clearly, right under the header, and in the fallback', () => {
    const message = runMessage({ execution: execution({ dryRun: true }), integration: integration() });
    expect(message.blocks[1]).toMatchObject({ type: 'section', text: { text: ':test_tube: *DRY RUN — nothing saved*' } });
    expect(message.text).toContain('DRY RUN — nothing saved');
  });

  it('gives both counts for aggregate domain types', () => {
    const message = runMessage({
      execution: execution({ domainType: 'warehouse_inventory', recordsFetched: 440, carriedOver: 10, successCount: 2, failedCount: 1, skippedCount: 0 }),
      integration: integration(),
    });
    expect(allText(message)).toContain('*Fetched*\n3 warehouse items, 450 records');
    expect(message.text).toContain('3 warehouse items, 450 records');
  });

  it('shows the fatal error with its category hint', () => {
    const message = runMessage({
      execution: execution({
        status: 'failed',
        successCount: 0,
        failedCount: 0,
        skippedCount: 0,
        recordsFetched: 0,
        carriedOver: 0,
        errorAnalysis: null,
        error: { category: 'authentication', message: 'HTTP 401 from the source', hint: ERROR_CATEGORIES.authentication },
      }),
      integration: integration(),
    });
    const text = allText(message);
    expect(message.blocks[0]).toMatchObject({ text: { text: ':x: Failed · Shopify EU · sales_orders' } });
    expect(text).toContain(':x: *Error (authentication)*: HTTP 401 from the source');
    expect(text).toContain(`:bulb: ${ERROR_CATEGORIES.authentication}`);
    expect(text).not.toContain(ITEM_ISSUE_HINTS.no_records);
  });

  it('says when nothing was fetched', () => {
    const message = runMessage({
      execution: execution({ status: 'success', recordsFetched: 0, carriedOver: 0, successCount: 0, failedCount: 0, skippedCount: 0, errorAnalysis: null }),
      integration: integration(),
    });
    expect(allText(message)).toContain(ITEM_ISSUE_HINTS.no_records);
  });

  it('caps top errors at five with "…and N more"', () => {
    const topErrors = Array.from({ length: 50 }, (_, i) => ({ message: `error ${i} ${HOSTILE_LONG}`, count: 100 - i }));
    const message = runMessage({ execution: execution({ errorAnalysis: { unmappedSkus: [], unmappedChannels: [], topErrors } }), integration: integration() });
    const text = allText(message);
    expect(text).toContain('error 4 ');
    expect(text).not.toContain('error 5 ');
    expect(text).toContain('…and 45 more kinds of error');
  });

  it('has a badge emoji and a word for every status', () => {
    const badges = new Set<string>();
    for (const status of EXECUTION_STATUSES) {
      const header = runMessage({ execution: execution({ status }), integration: integration() }).blocks[0] as { text: { text: string } };
      const [emoji, word] = header.text.text.split(' ');
      expect(emoji).toMatch(/^:[a-z_]+:$/);
      expect(word!.toLowerCase()).toBe(status);
      badges.add(emoji!);
    }
    expect(badges.size).toBe(EXECUTION_STATUSES.length);
  });

  it('survives hostile source data: escaped, cut, valid', () => {
    const message = runMessage({
      execution: execution({
        triggeredBy: HOSTILE,
        error: { category: 'source_data', message: HOSTILE_LONG, hint: ERROR_CATEGORIES.source_data },
        errorAnalysis: {
          unmappedSkus: [{ value: HOSTILE_LONG, count: 3 }],
          unmappedChannels: [{ value: AMPERSANDS, count: 1 }],
          topErrors: [{ message: HOSTILE_LONG, count: 9 }, { message: AMPERSANDS, count: 1 }],
        },
      }),
      integration: hostileIntegration(),
      requestedBy: null,
    });
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain(`*Trigger*\nmanual by ${ESCAPED_HOSTILE}`);
    // plain_text is shown literally by Slack: cut, never escaped.
    const header = message.blocks[0] as { text: { type: string; text: string } };
    expect(header.text.type).toBe('plain_text');
    expect(header.text.text.startsWith(':warning: Partial · <!channel> <@U123>')).toBe(true);
    expect(header.text.text).toMatch(/… · sales_orders$/);
    expect(text).toContain(':x: *Error (source data)*: &lt;!channel&gt;');
  });

  it('escapes a requestedBy that is not a Slack user id', () => {
    const message = runMessage({ execution: execution(), integration: integration(), requestedBy: '<!here>' });
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toContain('manual by &lt;!here&gt;');
  });
});

describe('runMessage: the live view', () => {
  it('while running: counts so far, no summary parts, no buttons', () => {
    const message = runMessage({
      execution: execution({ status: 'running', finishedAt: null, durationMs: null, errorAnalysis: null }),
      integration: integration(),
      requestedBy: REQUESTER,
    });
    expect(checkMessage(message, { allowedUsers: [REQUESTER] })).toEqual([]);
    const text = allText(message);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: ':arrows_counterclockwise: Running · Shopify EU · sales_orders' } });
    expect(text).toContain('*Fetched so far*\n1,200 records (+ 12 carried over)');
    expect(text).toContain('*Items so far*\n1,190 success · 10 failed · 12 skipped');
    expect(text).toContain('updated as the run goes');
    expect(text).not.toContain('*Duration*');
    expect(buttons(message)).toEqual([]);
    expect(message.text).toContain('so far');
  });

  it('while queued: not started yet', () => {
    const message = runMessage({
      execution: execution({ status: 'queued', startedAt: null, finishedAt: null, durationMs: null, recordsFetched: 0, carriedOver: 0, successCount: 0, failedCount: 0, skippedCount: 0, errorAnalysis: null }),
      integration: integration(),
    });
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toContain('*Started*\nnot yet (queued <!date^');
  });
});

describe('unmappedAlert', () => {
  const thousand = Array.from({ length: 1000 }, (_, i) => ({ value: `SKU-${String(i).padStart(4, '0')}`, count: 5000 - i }));

  it('lists unique values most frequent first, then "…and N more"', () => {
    const shuffled = [...thousand].reverse();
    const message = unmappedAlert({
      execution: execution({ errorAnalysis: { unmappedSkus: shuffled, unmappedChannels: [{ value: 'pos-berlin', count: 4 }], topErrors: [] } }),
      integration: integration(),
    });
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    const listed = [...text.matchAll(/• `(SKU-\d+)` — ([\d,]+)/g)].map((m) => ({ value: m[1], count: Number(m[2]!.replace(/,/g, '')) }));
    expect(listed.length).toBeGreaterThan(5);
    expect(listed).toEqual(thousand.slice(0, listed.length));
    expect(text).toContain(`…and ${(1000 - listed.length).toLocaleString('en-US')} more SKUs`);
    expect(text).toContain('*Unmapped SKUs* — 1,000 unique');
    expect(text).toContain('• `pos-berlin` — 4');
    expect(text).toContain(ITEM_ISSUE_HINTS.unmapped_sku);
    expect(text).toContain(ITEM_ISSUE_HINTS.unmapped_channel);
    expect(text).not.toMatch(/tether (mappings|sync)/);
    expect(message.text).toContain('1,000 SKUs and 1 channel');
  });

  it('has a button opening the items modal filtered to unmapped problems', () => {
    const message = unmappedAlert({ execution: execution(), integration: integration() });
    const [open, again] = buttons(message);
    expect(open).toMatchObject({ action_id: ACTIONS.openItems, text: { text: 'View unmapped items' } });
    expect(JSON.parse(open!.value)).toEqual({ executionId: 1234, status: 'problems', search: 'Unmapped' });
    expect(JSON.parse(again!.value)).toEqual({ integrationKey: 'shopify-eu', domainType: 'sales_orders', dryRun: false });
  });

  it('keeps 1,000 hostile 10,000-character values inert and within the limits', () => {
    const hostile = Array.from({ length: 1000 }, (_, i) => ({ value: i % 2 ? HOSTILE_LONG : AMPERSANDS, count: 1000 - i }));
    const message = unmappedAlert({
      execution: execution({ errorAnalysis: { unmappedSkus: hostile, unmappedChannels: hostile, topErrors: [] } }),
      integration: hostileIntegration(),
    });
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toMatch(/…and [\d,]+ more channels/);
  });
});

describe('resetNotice and adminRefusal', () => {
  it('announces who reset what', () => {
    const message = resetNotice({ integrationKey: 'shopify-eu', integrationName: 'Shopify EU', domains: ['sales_orders'], actorUserId: 'U0ADMIN', at: AT });
    expect(checkMessage(message, { allowedUsers: ['U0ADMIN'] })).toEqual([]);
    expect(allText(message)).toContain(':recycle: <@U0ADMIN> reset the sync state of *Shopify EU* `shopify-eu` for `sales_orders` — the next sync fetches everything.');
    expect(message.text).toContain('<@U0ADMIN> reset the sync state of Shopify EU');
  });

  it('keeps hostile names and a fake actor inert', () => {
    const message = resetNotice({ integrationKey: HOSTILE_LONG, integrationName: HOSTILE_LONG, domains: [HOSTILE_LONG], actorUserId: HOSTILE, at: AT });
    expect(checkMessage(message)).toEqual([]);
  });

  it('names the admins, and workspace admins when they count', () => {
    const message = adminRefusal({ admins: ['U1', 'U2'], workspaceAdminsAllowed: true });
    expect(checkMessage(message, { allowedUsers: ['U1', 'U2'] })).toEqual([]);
    expect(allText(message)).toContain('Only admins can reset sync state: <@U1>, <@U2> (and workspace admins/owners).');
    expect(allText(adminRefusal({ admins: [], workspaceAdminsAllowed: true }))).toContain('Only workspace admins and owners can reset sync state.');
    expect(allText(adminRefusal({ admins: [], workspaceAdminsAllowed: false }))).toContain('no admins are configured');
    expect(allText(adminRefusal({ admins: ['U1', 'U2'], workspaceAdminsAllowed: false }))).not.toContain('workspace');
  });

  it('keeps a misconfigured admin list inert and short', () => {
    const message = adminRefusal({ admins: [HOSTILE_LONG, ...Array.from({ length: 100 }, (_, i) => `U${i}`)], workspaceAdminsAllowed: true });
    expect(checkMessage(message, { allowedUsers: Array.from({ length: 100 }, (_, i) => `U${i}`) })).toEqual([]);
    expect(allText(message)).toContain('and 81 more');
  });
});

describe('healthAlertMessage: an open alert', () => {
  const MUTER = 'U0MUTER';
  const actionIds = (message: { blocks: unknown[] }) => buttons(message).map((b) => b.action_id);

  it('says what, why, the fix, how often and since when, with the next steps as buttons', () => {
    const message = healthAlertMessage(alertInput());
    expect(checkMessage(message)).toEqual([]);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: ':warning: Unmapped SKUs · Shopify EU · sales_orders' } });
    const text = allText(message);
    expect(text).toContain('*Shopify EU* `shopify-eu` · `sales_orders`\n2 SKUs have no mapping; 12 orders were held back in the last run');
    expect(text).toContain(':bulb: *To fix:* Map the SKUs to Tether SKUs, then retry the failed items.');
    expect(text).toContain(
      'Seen in 3 runs since <!date^1772962200^{date_short_pretty} {time}|2026-03-08 09:30 UTC> · last <!date^1772969400^{date_short_pretty} {time}|2026-03-08 11:30 UTC>',
    );
    expect(text).toContain('last execution #1234');
    expect(text).not.toContain('Muted');
    expect(message.text).toBe(':warning: Open: Unmapped SKUs — Shopify EU (sales_orders)');

    const actions = message.blocks.find((block) => block.type === 'actions');
    expect(actions?.block_id).toBe(BLOCKS.alertActions);
    expect(actionIds(message)).toEqual([ACTIONS.openMapping, ACTIONS.retryFailed, ACTIONS.openItems, ACTIONS.muteHour, ACTIONS.muteDay, ACTIONS.muteUntilResolved]);
    const [map, retry, items, hour, day, untilResolved] = buttons(message);
    expect(map!.text.text).toBe('Map SKUs');
    expect(JSON.parse(map!.value)).toEqual({ integrationKey: 'shopify-eu', kind: 'sku' });
    expect(retry!.text.text).toBe('Retry failed items');
    expect(JSON.parse(retry!.value)).toEqual({ integrationKey: 'shopify-eu', domainType: 'sales_orders' });
    expect(items!.text.text).toBe('View failed items');
    expect(JSON.parse(items!.value)).toEqual({ executionId: 1234, status: 'problems' });
    expect([hour, day, untilResolved].map((b) => [b!.text.text, b!.value])).toEqual([
      ['Mute 1 h', 'shopify-eu'],
      ['Mute 24 h', 'shopify-eu'],
      ['Mute until resolved', 'shopify-eu'],
    ]);
  });

  it('maps channels for unmapped channels, and nothing for other problems', () => {
    const channels = healthAlertMessage(alertInput({ alert: { problemKey: 'unmapped_channels', title: 'Unmapped channels' } }));
    const map = buttons(channels).find((b) => b.action_id === ACTIONS.openMapping)!;
    expect(map.text.text).toBe('Map channels');
    expect(JSON.parse(map.value)).toEqual({ integrationKey: 'shopify-eu', kind: 'channel' });

    const auth = healthAlertMessage(alertInput({ alert: { problemKey: 'authentication', title: 'Authentication failed' }, retryable: 0 }));
    expect(checkMessage(auth)).toEqual([]);
    expect(actionIds(auth)).not.toContain(ACTIONS.openMapping);
    expect(auth.blocks[0]).toMatchObject({ text: { text: ':rotating_light: Authentication failed · Shopify EU · sales_orders' } });
  });

  it('offers Retry only when kept records would be retried, and failed items only with a last execution', () => {
    const none = healthAlertMessage(alertInput({ retryable: 0, alert: { lastExecutionId: null } }));
    expect(checkMessage(none)).toEqual([]);
    expect(actionIds(none)).toEqual([ACTIONS.openMapping, ACTIONS.muteHour, ACTIONS.muteDay, ACTIONS.muteUntilResolved]);
    expect(allText(none)).not.toContain('last execution');
    expect(allText(healthAlertMessage(alertInput({ retryable: 1 })))).toContain('1 failed record kept for a retry');
  });

  it('shows who muted it and until when, and offers Unmute instead of the mute buttons', () => {
    const until = new Date('2026-03-09T09:30:00Z');
    const muted = healthAlertMessage(alertInput({ mute: { until, untilResolved: false, mutedBy: MUTER } }));
    expect(checkMessage(muted, { allowedUsers: [MUTER] })).toEqual([]);
    expect(allText(muted)).toContain(':mute: Muted until <!date^1773048600^{date_short_pretty} {time}|2026-03-09 09:30 UTC> by <@U0MUTER>');
    expect(actionIds(muted)).toEqual([ACTIONS.openMapping, ACTIONS.retryFailed, ACTIONS.openItems, ACTIONS.unmute]);
    expect(buttons(muted).at(-1)).toMatchObject({ text: { text: 'Unmute' }, value: 'shopify-eu' });
    expect(muted.text).toContain('Open (muted)');

    const untilResolved = healthAlertMessage(alertInput({ mute: { until: null, untilResolved: true, mutedBy: MUTER } }));
    expect(allText(untilResolved)).toContain(':mute: Muted until resolved by <@U0MUTER>');
  });

  it('draws the trends of the last runs and the indicators that need attention', () => {
    const message = healthAlertMessage(alertInput({ health: healthView() }));
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('*Last 8 runs* (oldest → newest)');
    expect(text).toContain('*Records fetched*  ▇█▇███▇▁  last 0');
    expect(text).toContain('*Failed*  ▁▁▁█▁▁▁▁  last 0');
    expect(text).toContain('*Duration*  ▁▁█▁▁▁▁▅  last 1 min 05 s');
    expect(text).toContain(':warning: *Needs attention*\n• *Records fetched*: Fetched 0 records; the last 20 runs fetched 1,180 to 1,260');
    expect(text).not.toContain('The last 8 runs succeeded');
  });

  it('copes with no history and with nothing needing attention', () => {
    const empty = healthView({ overall: 'not_enough_history', trends: { recordsFetched: [], failed: [], durationMs: [] } });
    for (const [state, indicator] of Object.entries(empty.indicators)) empty.indicators[state as keyof typeof empty.indicators] = { ...indicator, state: 'healthy' };
    const message = healthAlertMessage(alertInput({ health: empty }));
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toContain('*Trends*: no finished runs yet');
    expect(allText(message)).not.toContain('Needs attention');
    const flat = healthAlertMessage(alertInput({ health: healthView({ trends: { recordsFetched: [5, 5], failed: [0, 0], durationMs: [1000] } }) }));
    expect(allText(flat)).toContain('*Records fetched*  ▄▄  last 5');
    expect(allText(flat)).toContain('*Last 2 runs*');
  });

  it('keeps hostile titles, reasons, fixes, keys and muters inert and within the limits', () => {
    const hostileHealth = healthView();
    for (const key of Object.keys(hostileHealth.indicators) as (keyof typeof hostileHealth.indicators)[]) {
      hostileHealth.indicators[key] = { state: 'attention', reason: HOSTILE_LONG };
    }
    hostileHealth.trends = {
      recordsFetched: Array.from({ length: 1000 }, (_, i) => i * 1e12),
      failed: Array.from({ length: 1000 }, () => Number.NaN),
      durationMs: Array.from({ length: 1000 }, (_, i) => i),
    };
    const message = healthAlertMessage(
      alertInput({
        alert: { title: HOSTILE_LONG, reason: HOSTILE_LONG, fix: AMPERSANDS, domainType: HOSTILE_LONG, problemKey: HOSTILE_LONG, category: HOSTILE_LONG },
        integration: hostileIntegration(),
        health: hostileHealth,
        mute: { until: AT, untilResolved: false, mutedBy: HOSTILE },
      }),
    );
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('Muted until <!date^1772962200^{date_short_pretty} {time}|2026-03-08 09:30 UTC> by &lt;!channel&gt;');
    // All five indicators need attention: each is listed, each reason cut.
    for (const label of ['Run status', 'Failed count', 'Records fetched', 'Duration', 'Last sync']) expect(text).toContain(`• *${label}*: &lt;!channel&gt;`);
    expect(text).toContain('*Last 30 runs*');
    // A key too long for a button value: the buttons that need it are left out, never cut.
    for (const b of buttons(message)) expect(b.value.length).toBeLessThanOrEqual(2000);
    expect(message.text.length).toBeLessThan(4000);
  });
});

describe('healthAlertMessage: a resolved alert', () => {
  const resolvedAt = new Date('2026-03-08T15:30:00Z');

  it('says resolved, when and after how many runs, keeps the reason as context, and has no buttons', () => {
    const message = healthAlertMessage(alertInput({ alert: { resolvedAt, occurrences: 5 }, health: healthView(), mute: { until: null, untilResolved: true, mutedBy: 'U0MUTER' } }));
    expect(checkMessage(message)).toEqual([]);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: ':white_check_mark: Resolved · Unmapped SKUs · Shopify EU · sales_orders' } });
    const text = allText(message);
    expect(text).toContain('*Resolved* at <!date^1772983800^{date_short_pretty} {time}|2026-03-08 15:30 UTC> after 5 runs');
    expect(text).toContain('Was: 2 SKUs have no mapping; 12 orders were held back in the last run');
    expect(text).not.toContain('Muted');
    expect(buttons(message)).toEqual([]);
    expect(message.blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(message.text).toBe(':white_check_mark: Resolved: Unmapped SKUs — Shopify EU (sales_orders)');
  });

  it('stays valid with hostile data', () => {
    const message = healthAlertMessage(
      alertInput({ alert: { resolvedAt, title: HOSTILE_LONG, reason: AMPERSANDS, domainType: HOSTILE_LONG }, integration: hostileIntegration() }),
    );
    expect(checkMessage(message)).toEqual([]);
    expect(buttons(message)).toEqual([]);
  });
});

describe('alertFollowup', () => {
  it('is a short thread reply: still happening, how many times, why, and the run', () => {
    const { alert, integration: summary } = alertInput();
    const message = alertFollowup({ alert, integration: summary, executionId: 1240, occurrence: 4 });
    expect(checkMessage(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(2);
    const text = allText(message);
    expect(text).toContain(':repeat: *Still happening (4×)*: 2 SKUs have no mapping; 12 orders were held back in the last run');
    expect(text).toContain('Run: execution #1240 · *Shopify EU* `shopify-eu` · `sales_orders`');
    expect(message.text).toBe('Still happening (4×): Unmapped SKUs in Shopify EU, execution #1240 — 2 SKUs have no mapping; 12 orders were held back in the last run');
    expect(buttons(message)).toEqual([]);
  });

  it('without a run, and with hostile data', () => {
    const { alert } = alertInput({ alert: { reason: HOSTILE_LONG, title: HOSTILE_LONG, domainType: AMPERSANDS } });
    const message = alertFollowup({ alert, integration: hostileIntegration(), executionId: null, occurrence: 1_000_000 });
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toContain('Still happening (1,000,000×)');
    expect(allText(message)).not.toContain('execution #');
  });
});
