import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { WebClient } from '@slack/web-api';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/test-app.js';

/**
 * The product as a new user sees it: `npm run demo` (its entry point, in a child process, on a
 * database of its own) and its local Slack sandbox in Debian's headless Chromium. Every click
 * goes page → sandbox → signed request → the bot → Web API calls → the page, live.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DEMO = fileURLToPath(new URL('../../src/demo/run-demo.ts', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const WAIT = { timeout: 20_000 };

describe('the local Slack sandbox in a browser', () => {
  let demo: ChildProcess;
  let output = '';
  let browser: Browser;
  let page: Page;
  let pageUrl: string;
  /** The execution the sync test started (a scheduled demo run may have taken #1 first). */
  let synced = 0;
  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Browser tests need Debian's chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`);
    await mkdir(SCREENSHOTS, { recursive: true });
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SLACK_')));
    demo = spawn(process.execPath, ['--import', 'tsx', DEMO], {
      env: { ...env, DATABASE_URL: testDatabaseUrl(), SANDBOX_PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pageUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo did not start within 45 s:\n${output}`)), 45_000);
      const read = (chunk: Buffer) => {
        output += chunk;
        const url = output.match(/Local Slack sandbox: (http:\/\/\S+)/)?.[1];
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      };
      demo.stdout!.on('data', read);
      demo.stderr!.on('data', read);
      demo.on('exit', (code) => reject(new Error(`the demo exited with ${code}:\n${output}`)));
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pageUrl);
  }, 60_000);

  // A failing step leaves a picture of the page behind, and no modal in the way of the next test.
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    await shot(`failed-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
    if (await page.locator('.modal-x').count()) await page.locator('.modal-x').click().catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    if (demo && demo.exitCode === null) {
      const exited = new Promise((resolve) => demo.once('exit', resolve));
      demo.kill('SIGTERM');
      await exited;
    }
  });

  const modal = () => page.locator('.modal');
  const messageWith = (text: string | RegExp): Locator => page.locator('.message[data-ts]').filter({ hasText: text });
  /** The run message of an execution (alerts say "last execution #N", in lower case). */
  const runMessage = (id: number): Locator => messageWith(new RegExp(`Execution #${id}\\b`));
  const command = async (text: string) => {
    await page.fill('#composer-input', text);
    await page.press('#composer-input', 'Enter');
  };
  /** Types /tether sync <key> and returns the execution id from the bot's ephemeral answer. */
  const sync = async (key: string): Promise<number> => {
    const before = await page.locator('.message.ephemeral').filter({ hasText: `Queued a sync of ${key}` }).count();
    await command(`/tether sync ${key}`);
    const answer = page.locator('.message.ephemeral').filter({ hasText: `Queued a sync of ${key}` }).nth(before);
    await answer.waitFor(WAIT);
    return Number((await answer.innerText()).match(/#(\d+)/)![1]);
  };

  it('is labelled as a sandbox and lists the channels the bot posts to', async () => {
    expect(await page.locator('#sandbox-banner').innerText()).toContain('Local Slack sandbox');
    expect(await page.locator('#sandbox-banner').innerText()).toContain('not Slack');
    await page.locator('#channel-list a', { hasText: 'ops-sync' }).waitFor(WAIT);
    expect(await page.locator('#main-header').innerText()).toBe('# ops-sync');
    // An ack answer, shown to the user only; Slack's escaped text reads as typed.
    await command('/tether help');
    const help = page.locator('.message.ephemeral').filter({ hasText: '/tether commands' });
    await help.waitFor(WAIT);
    expect(await help.innerText()).toContain('Only visible to you');
    expect(await help.innerText()).toContain('/tether sync <integration> [domain] [dry-run]');
    expect(await help.innerText()).not.toContain('&lt;');
  });

  it('/tether sync: the live message turns into the summary, edited in place', async () => {
    // Every header a message shows over time, as the page redraws it.
    await page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      (window as unknown as { seenHeaders: typeof seen }).seenHeaders = seen;
      const record = () => {
        for (const node of document.querySelectorAll<HTMLElement>('.message[data-ts]')) {
          const header = node.querySelector('[data-block-type="header"]')?.textContent ?? '';
          const list = (seen[node.dataset.ts!] ??= []);
          if (header && list.at(-1) !== header) list.push(header);
        }
      };
      new MutationObserver(record).observe(document.querySelector('#timeline')!, { childList: true, subtree: true });
    });
    const id = await sync('demo-shop');
    synced = id;
    const message = runMessage(id);
    await message.waitFor(WAIT);
    const ts = await message.getAttribute('data-ts');
    await page.locator(`.message[data-ts="${ts}"]`).filter({ hasText: 'Partial' }).waitFor(WAIT);
    const summary = page.locator(`.message[data-ts="${ts}"]`);
    expect(await runMessage(id).count()).toBe(1); // one message, edited
    const headers = (await page.evaluate(() => (window as unknown as { seenHeaders: Record<string, string[]> }).seenHeaders))[ts!]!;
    expect(headers.length).toBeGreaterThan(1); // seen live before the summary
    expect(headers[0]).toMatch(/Queued|Running/);
    expect(headers.at(-1)).toMatch(/Partial/);
    const text = await summary.innerText();
    expect(text).toContain('Demo Shop (storefront orders)');
    expect(text).toContain('(edited)');
    expect(text).toMatch(/Top errors/);
    // mrkdwn: bold and code are rendered, <!date^…> becomes a date in the reader's zone.
    expect(await summary.locator('.mrkdwn b').count()).toBeGreaterThan(0);
    expect(await summary.locator('.mrkdwn code', { hasText: 'demo-shop' }).count()).toBeGreaterThan(0);
    expect(await summary.locator('time[datetime]').count()).toBeGreaterThan(0);
    expect(text).not.toContain('<!date^');
    expect(await summary.locator('.mention', { hasText: '@U0SANDBOX1' }).count()).toBe(1); // <@U…>
    await shot('01-sync-summary');
  });

  it('failed items: opened from the message, filtered, paged to the end', async () => {
    expect(synced).toBeGreaterThan(0);
    const summary = runMessage(synced).filter({ hasText: 'Partial' });
    await summary.getByRole('button', { name: 'View failed items' }).click();
    await modal().locator('.modal-title', { hasText: `Items of #${synced}` }).waitFor(WAIT);
    await modal().locator('[data-block-type="section"]', { hasText: 'failed' }).first().waitFor(WAIT);
    await shot('02-items-modal');

    expect(await modal().locator('[data-block-type="section"]', { hasText: 'partly mapped' }).count()).toBeGreaterThan(0);
    await modal().locator('select[data-action-id="items_status"]').selectOption('failed');
    await modal().locator('[data-block-type="section"]', { hasText: 'partly mapped' }).first().waitFor({ state: 'detached', ...WAIT });
    const statuses = await modal().locator('[data-block-type="section"]').allInnerTexts();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((text) => /failed/i.test(text))).toBe(true);
    expect(statuses.some((text) => /partial/i.test(text))).toBe(false);

    let pageNumber = 1;
    while ((await modal().getByRole('button', { name: 'Next →' }).count()) > 0) {
      await modal().getByRole('button', { name: 'Next →' }).click();
      pageNumber += 1;
      await modal().locator('[data-block-type="context"]', { hasText: `Page ${pageNumber} ·` }).waitFor(WAIT);
    }
    expect(pageNumber).toBeGreaterThan(2);
    expect(await modal().locator('[data-block-type="context"]', { hasText: 'more on the next page' }).count()).toBe(0);
    expect(await modal().getByRole('button', { name: '← Previous' }).count()).toBe(1);
    await shot('03-items-last-page');
    await page.locator('.modal-x').click();
    await modal().waitFor({ state: 'detached', ...WAIT });
  });

  it('an aggregate item: its record breakdown is pushed onto the modal stack, Back pops it', async () => {
    const id = await sync('demo-3pl');
    const summary = runMessage(id).filter({ has: page.getByRole('button', { name: 'View failed items' }) });
    await summary.waitFor(WAIT);
    await summary.getByRole('button', { name: 'View failed items' }).click();
    await modal().locator('.modal-title', { hasText: `Items of #${id}` }).waitFor(WAIT);
    await modal().getByRole('button', { name: 'Records' }).first().click();
    await modal().locator('.modal-stack', { hasText: '2 views deep' }).waitFor(WAIT);
    await modal().locator('[data-block-type="section"]').first().waitFor(WAIT);
    expect(await modal().locator('.modal-title').innerText()).not.toContain('Items of');
    await shot('04-aggregate-breakdown');
    await modal().locator('[data-role="modal-close"]').click(); // Back: pops the breakdown only
    await modal().locator('.modal-title', { hasText: `Items of #${id}` }).waitFor(WAIT);
    expect(await page.locator('.modal-stack').count()).toBe(0);
    await page.locator('.modal-x').click();
    await modal().waitFor({ state: 'detached', ...WAIT });
  });

  it('map an SKU from the alert (external select), then retry the failed items', async () => {
    const alert = messageWith('Unmapped SKUs · Demo Shop');
    await alert.waitFor(WAIT);
    await alert.getByRole('button', { name: 'Map SKUs' }).first().click();
    await modal().locator('.modal-title', { hasText: 'Map SKUs' }).waitFor(WAIT);
    const firstValue = modal().locator('[data-block-id^="mapping_value_"]').first();
    await firstValue.waitFor(WAIT);

    // Save with nothing picked: the bot's response_action errors are shown under the input.
    await modal().locator('[data-role="modal-submit"]').click();
    await firstValue.locator('.error', { hasText: 'Pick a Tether SKU' }).waitFor(WAIT);

    await firstValue.locator('.external input').pressSequentially('SKU-00', { delay: 20 });
    const option = firstValue.locator('.external li[role="option"]').first();
    await option.waitFor(WAIT);
    const code = await option.getAttribute('data-value');
    expect(code).toMatch(/^SKU-00/);
    await option.click();
    expect(await firstValue.locator('.chosen').innerText()).toContain(code!);
    await shot('05-map-skus');
    await modal().locator('[data-role="modal-submit"]').click();
    await modal().getByRole('button', { name: 'Retry failed items' }).waitFor(WAIT);
    expect(await modal().innerText()).toContain('Saved');

    await modal().getByRole('button', { name: 'Retry failed items' }).click();
    const retrying = modal().locator('[data-block-type="section"]', { hasText: 'Retrying the failed items of demo-shop' });
    await retrying.waitFor(WAIT);
    const retryId = Number((await retrying.innerText()).match(/#(\d+)/)![1]);
    await shot('06-retry-queued');
    await page.locator('.modal-x').click();
    const run = runMessage(retryId).filter({ hasText: /Partial|Success/ });
    await run.waitFor({ timeout: 30_000 });
    expect(await run.innerText()).toMatch(/retry/i);
  });

  it('runs the worker and the bot as npm start does: their /healthz answers on the bot’s own port', async () => {
    const health = output.match(/(http:\/\/127\.0\.0\.1:\d+)\/healthz/)?.[1];
    expect(health).toBeDefined();
    const response = await fetch(`${health}/healthz`);
    expect(response.status).toBe(200);
  });

  it('renders Block Kit readably: every block the app uses, mrkdwn, dates, links and escaped text', async () => {
    // Posted through the sandbox's Web API as any app would; no bot involved.
    const client = new WebClient('xoxb-any', { slackApiUrl: `${pageUrl.replace('localhost', '127.0.0.1')}/api/`, retryConfig: { retries: 0 } });
    const at = Math.floor(Date.UTC(2026, 0, 15, 12, 0, 0) / 1000);
    const option = (text: string) => ({ text: { type: 'plain_text' as const, text }, value: text });
    await page.locator('#channel-list a', { hasText: 'warehouse-ops' }).click();
    await client.chat.postMessage({
      channel: 'C0WAREHOUS',
      text: 'Block Kit sampler',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: ':white_check_mark: Sampler' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*bold* _italic_ ~gone~ `code` <https://example.com/x?a=1&amp;b=2|a link> <!here> &lt;not a tag&gt; on <!date^' + at + '^{date_num}|2026-01-15>' },
          accessory: { type: 'static_select', action_id: 'pick', placeholder: { type: 'plain_text', text: 'Pick' }, options: [option('one'), option('two')] },
        },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*Field A*\n1' }, { type: 'plain_text', text: 'Field B <b>' }] },
        { type: 'divider' },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'context line' }] },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'b1', text: { type: 'plain_text', text: 'Primary' }, style: 'primary', value: 'x' },
            { type: 'external_select', action_id: 'ext', placeholder: { type: 'plain_text', text: 'Search' } },
          ],
        },
        { type: 'input', label: { type: 'plain_text', text: 'Note' }, element: { type: 'plain_text_input', action_id: 'note' }, optional: true, hint: { type: 'plain_text', text: 'a hint' } },
      ],
    });
    const sampler = page.locator('.message[data-ts]').filter({ hasText: 'Sampler' });
    await sampler.waitFor(WAIT);
    expect(await sampler.locator('[data-block-type="header"]').innerText()).toBe('✅ Sampler');
    const text = sampler.locator('[data-block-type="section"]').first();
    expect(await text.locator('b').innerText()).toBe('bold');
    expect(await text.locator('i').innerText()).toBe('italic');
    expect(await text.locator('s').innerText()).toBe('gone');
    expect(await text.locator('code').innerText()).toBe('code');
    expect(await text.locator('a').getAttribute('href')).toBe('https://example.com/x?a=1&b=2');
    expect(await text.locator('a').innerText()).toBe('a link');
    expect(await text.locator('.mention').innerText()).toBe('@here');
    expect(await text.innerText()).toContain('<not a tag>');
    expect(await text.locator('time').innerText()).toBe('2026-01-15');
    expect(await text.locator('select[data-action-id="pick"] option').allInnerTexts()).toEqual(['Pick', 'one', 'two']);
    expect(await sampler.locator('.fields').innerText()).toContain('Field B <b>');
    expect(await sampler.locator('hr[data-block-type="divider"]').count()).toBe(1);
    expect(await sampler.locator('[data-block-type="context"]').innerText()).toBe('context line');
    expect(await sampler.getByRole('button', { name: 'Primary' }).getAttribute('class')).toContain('primary');
    expect(await sampler.locator('.external[data-action-id="ext"] input').count()).toBe(1);
    const input = sampler.locator('[data-block-type="input"]');
    expect(await input.innerText()).toContain('Note (optional)');
    expect(await input.innerText()).toContain('a hint');
    await shot('07-block-kit-sampler');
    await page.locator('#channel-list a', { hasText: 'ops-sync' }).click();
  });

  it('the App Home tab', async () => {
    await page.locator('#nav-home').click();
    await page.locator('#home [data-block-type="header"]', { hasText: 'Tether Sync' }).waitFor(WAIT);
    const home = await page.locator('#home').innerText();
    expect(home).toContain('demo-shop');
    expect(await page.locator('#home').getByRole('button', { name: /Sync now|Dry-run now/ }).count()).toBeGreaterThan(0);
    expect(await page.locator('#composer').isHidden()).toBe(true);
    await shot('08-app-home');
  });
});
