import { describe, expect, it } from 'vitest';
import {
  code,
  escapeMrkdwn,
  escapeTruncate,
  formatDecimal,
  formatDuration,
  formatNumber,
  mentionUser,
  plural,
  slackDate,
  truncate,
  truncateMrkdwn,
} from '../../src/slack/blocks/escape.js';
import { packLines } from '../../src/slack/blocks/kit.js';
import { andMore, capList, LIMITS } from '../../src/slack/blocks/limits.js';
import { sparkline, SPARKLINE_MAX_POINTS } from '../../src/slack/blocks/sparkline.js';
import { checkMessage, checkView } from './slack-blocks-checker.js';
import { AMPERSANDS, AT, HOSTILE, HOSTILE_LONG } from './slack-blocks-fixtures.js';

describe('escapeMrkdwn', () => {
  it('escapes &, < and > so mentions and links stay text', () => {
    expect(escapeMrkdwn('<!channel> <@U123> <https://evil.example|click me> &amp;')).toBe(
      '&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click me&gt; &amp;amp;',
    );
    expect(escapeMrkdwn('plain text, no change')).toBe('plain text, no change');
  });
});

describe('truncate', () => {
  it('leaves short text alone and ends cut text with an ellipsis, within the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghij', 10)).toBe('abcdefghij');
    expect(truncate('abcdefghijk', 10)).toBe('abcdefghi…');
    expect(truncate(HOSTILE_LONG, 150)).toHaveLength(150);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncate('ab😀😀😀', 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
  });

  it('mrkdwn: never leaves half an entity or an unclosed token behind', () => {
    const escaped = escapeMrkdwn(AMPERSANDS);
    for (const max of [10, 11, 12, 13, 14, 3000]) {
      const cut = truncateMrkdwn(escaped, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).toMatch(/^(&amp;)*…$/);
    }
    const withDate = `started ${slackDate(AT)} and more text`;
    const cut = truncateMrkdwn(withDate, 30);
    expect(cut).toBe('started …');
    expect(escapeTruncate(HOSTILE_LONG, 3000).length).toBeLessThanOrEqual(3000);
  });

  it('code spans: escaped, one line, no backtick can end them early', () => {
    expect(code('a`b\n<!here>', 100)).toBe('`aˋb &lt;!here&gt;`');
    expect(code('', 10)).toBe('`(empty)`');
  });
});

describe('slackDate', () => {
  it("is a date token in the reader's timezone with a UTC fallback", () => {
    expect(slackDate(AT)).toBe('<!date^1772962200^{date_short_pretty} {time}|2026-03-08 09:30 UTC>');
    expect(slackDate(AT, '{date_long}')).toBe('<!date^1772962200^{date_long}|2026-03-08 09:30 UTC>');
    expect(slackDate(new Date(Number.NaN))).toBe('—');
  });
});

describe('numbers and words', () => {
  it('formats durations', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(450)).toBe('450 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2 h 05 min');
  });

  it('formats counts with thousands separators and plurals', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(plural(1, 'record')).toBe('1 record');
    expect(plural(0, 'record')).toBe('0 records');
    expect(plural(1200, 'entry', 'entries')).toBe('1,200 entries');
  });

  it('mentions only real Slack user ids', () => {
    expect(mentionUser('U0ABC123')).toBe('<@U0ABC123>');
    expect(mentionUser('<!channel>')).toBe('&lt;!channel&gt;');
  });
});

describe('formatDecimal', () => {
  it('groups thousands and keeps the decimals exactly as given', () => {
    expect(formatDecimal('1234.50')).toBe('1,234.50');
    expect(formatDecimal('99.00')).toBe('99.00');
    expect(formatDecimal('0.10')).toBe('0.10');
    expect(formatDecimal('1000000')).toBe('1,000,000');
    expect(formatDecimal('-1234567.891')).toBe('-1,234,567.891');
    expect(formatDecimal('+100')).toBe('100');
    expect(formatDecimal('000123.4')).toBe('123.4');
    expect(formatDecimal('123')).toBe('123');
    // Beyond a float's precision: no digit is rounded.
    expect(formatDecimal('12345678901234567.89')).toBe('12,345,678,901,234,567.89');
  });

  it('returns anything else on one line, cut', () => {
    expect(formatDecimal('n/a')).toBe('n/a');
    expect(formatDecimal('1e5')).toBe('1e5');
    expect(formatDecimal('12\n34')).toBe('12 34');
    expect(formatDecimal(HOSTILE_LONG)).toHaveLength(40);
    expect(formatDecimal('9'.repeat(10_000)).length).toBeLessThanOrEqual(40);
  });
});

describe('sparkline', () => {
  it('scales oldest → newest from ▁ (min) to █ (max)', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([7, 0])).toBe('█▁');
    expect(sparkline([100, 110, 100, 110, 120, 110, 100, 0])).toBe('▇▇▇▇█▇▇▁');
    expect(sparkline([-5, 5])).toBe('▁█');
    expect(sparkline([0.1, 0.2])).toBe('▁█');
  });

  it('is flat ▄ when all values are equal, empty when there are none', () => {
    expect(sparkline([3, 3, 3])).toBe('▄▄▄');
    expect(sparkline([0, 0, 0, 0])).toBe('▄▄▄▄');
    expect(sparkline([42])).toBe('▄');
    expect(sparkline([])).toBe('');
  });

  it('leaves out values that are not finite, and draws the newest points only', () => {
    expect(sparkline([Number.NaN, 1, Number.POSITIVE_INFINITY, 2])).toBe('▁█');
    expect(sparkline([Number.NaN])).toBe('');
    const many = Array.from({ length: 1000 }, (_, i) => i);
    expect(sparkline(many)).toHaveLength(SPARKLINE_MAX_POINTS);
    expect(sparkline(many).endsWith('█')).toBe(true);
    expect(sparkline([9, 1, 2], 2)).toBe('▁█');
    expect(sparkline([1, 2], 0)).toBe('');
  });
});

describe('limits helpers', () => {
  it('caps lists and says how many more', () => {
    expect(capList([1, 2, 3, 4], 2)).toEqual({ shown: [1, 2], hidden: 2 });
    expect(andMore(1234, 'integrations')).toBe('…and 1,234 more integrations');
  });

  it('keeps the documented Slack limits', () => {
    expect(LIMITS).toMatchObject({ messageBlocks: 50, viewBlocks: 100, sectionText: 3000, headerText: 150, modalTitle: 24, buttonText: 75 });
    expect(LIMITS.messageText).toBeLessThan(4000);
  });

  it('packs lines into sections within the text and block limits, counting the rest', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i} ${escapeMrkdwn(HOSTILE)}`.repeat(5));
    const sections = packLines(lines, { maxBlocks: 3, moreNoun: 'lines' });
    expect(sections).toHaveLength(3);
    const text = sections.map((s) => s.text!.text).join('\n');
    const shown = (text.match(/^line /gm) ?? []).length;
    expect(text).toContain(`…and ${formatNumber(1000 - shown)} more lines`);
    for (const s of sections) expect(s.text!.text.length).toBeLessThanOrEqual(3000);
  });
});

describe('the test checker itself', () => {
  it('checks input hints and external selects', () => {
    const problems = checkView({
      type: 'modal',
      title: { type: 'plain_text', text: 'Map SKUs' },
      submit: { type: 'plain_text', text: 'Save' },
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'ACME-1' },
          hint: { type: 'plain_text', text: 'h'.repeat(2001) },
          element: { type: 'external_select', action_id: 'a', placeholder: { type: 'mrkdwn', text: 'p' }, min_query_length: -1, options: [] },
        },
        { type: 'input', label: { type: 'plain_text', text: 'ok' }, hint: { type: 'plain_text', text: '&lt;x&gt;' }, element: { type: 'external_select', action_id: 'b' } },
      ],
    });
    for (const problem of [
      'blocks[0].hint: 2001 chars > 2000',
      'blocks[0].element: external_select with options of its own',
      'blocks[0].element: min_query_length -1',
      'blocks[0].element.placeholder: must be plain_text',
      'blocks[1].hint: escaped plain_text',
    ]) {
      expect(problems.some((p) => p.startsWith(problem)), problem).toBe(true);
    }
  });

  it('catches what Slack would refuse', () => {
    const problems = checkMessage({
      text: '<!channel> hi',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        { type: 'context', elements: [{ type: 'plain_text', text: '&lt;!channel&gt;' }] },
        { type: 'section', block_id: 'a', text: { type: 'mrkdwn', text: `<@U123> <https://evil|x> & ${'x'.repeat(3000)}` } },
        { type: 'section', block_id: 'a', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) },
        { type: 'actions', elements: [{ type: 'button', action_id: 'b', text: { type: 'plain_text', text: 'b'.repeat(76) }, value: 'v'.repeat(2001) }] },
        ...Array.from({ length: 50 }, () => ({ type: 'divider' })),
      ],
    });
    const expected = [
      'text: unescaped "<"',
      'blocks: 55 blocks > 50',
      'blocks[0].text: 151 chars > 150',
      'blocks[1].elements[0]: escaped plain_text',
      'blocks[2].text: unescaped "<" in mrkdwn: "<@U123>',
      'blocks[2].text: unescaped "<" in mrkdwn: "<https',
      'blocks[2].text: bare "&"',
      'blocks[2].text: 3027 chars > 3000',
      'blocks[3]: duplicate block_id a',
      'blocks[3]: 11 fields > 10',
      'blocks[4].elements[0].text: 76 chars > 75',
      'blocks[4].elements[0].value: 2001 chars > 2000',
    ];
    for (const problem of expected) expect(problems.some((p) => p.startsWith(problem)), problem).toBe(true);
  });

  it('allows our own date tokens and the mentions the builder was given', () => {
    const message = { text: 'ok', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `<@U0ME> at ${slackDate(AT)}` } }] };
    expect(checkMessage(message, { allowedUsers: ['U0ME'] })).toEqual([]);
    expect(checkMessage(message)).not.toEqual([]);
  });

  it('checks views: title, metadata, submit for inputs, select options', () => {
    const problems = checkView({
      type: 'modal',
      title: { type: 'plain_text', text: 't'.repeat(25) },
      private_metadata: 'm'.repeat(3001),
      blocks: [
        { type: 'input', label: { type: 'plain_text', text: 'l' }, element: { type: 'plain_text_input', action_id: 'a' } },
        {
          type: 'actions',
          elements: [
            {
              type: 'static_select',
              action_id: 's',
              options: Array.from({ length: 101 }, (_, i) => ({ text: { type: 'plain_text', text: `o${i}` }, value: `${i}` })),
              initial_option: { text: { type: 'plain_text', text: 'nope' }, value: 'nope' },
            },
          ],
        },
      ],
    });
    for (const problem of ['title: 25 chars > 24', 'submit: a modal with an input block needs submit', 'private_metadata: 3001 chars > 3000', 'blocks[1].elements[0]: 101 options > 100', 'blocks[1].elements[0]: initial_option is not one of the options']) {
      expect(problems.some((p) => p.startsWith(problem)), problem).toBe(true);
    }
  });
});
