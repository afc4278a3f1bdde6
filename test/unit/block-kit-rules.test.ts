import { describe, expect, it } from 'vitest';
import { checkMessage, checkView } from '../fakes/block-kit-rules.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: mrkdwn(text), ...extra });
const button = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'go', text: plain(text), ...extra });
const option = (text: string, value: string) => ({ text: plain(text), value });
const select = (options: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'static_select',
  action_id: 'pick',
  placeholder: plain('Pick'),
  options,
  ...extra,
});
const modal = (extra: Record<string, unknown> = {}) => ({ type: 'modal', title: plain('Items'), blocks: [section('hi')], ...extra });

const hard = (problems: ReturnType<typeof checkMessage>) => problems.filter((p) => !p.soft);
const pointers = (problems: ReturnType<typeof checkMessage>) => hard(problems).map((p) => p.pointer);

describe('message rules', () => {
  it('accepts a message at every limit and refuses one past it', () => {
    const atLimits = {
      text: 'x'.repeat(4000),
      blocks: [
        { type: 'header', text: plain('h'.repeat(150)) },
        section('s'.repeat(3000)),
        { type: 'section', fields: Array.from({ length: 10 }, () => mrkdwn('f'.repeat(2000))) },
        { type: 'context', elements: Array.from({ length: 10 }, (_, i) => mrkdwn(`c${i}`)) },
        {
          type: 'actions',
          block_id: 'b'.repeat(255),
          elements: Array.from({ length: 25 }, (_, i) => button('t'.repeat(75), { action_id: `${i}`.padEnd(255, 'a'), value: 'v'.repeat(2000) })),
        },
        section('pick', { accessory: select(Array.from({ length: 100 }, (_, i) => option('o'.repeat(75), `${i}`.padEnd(150, 'v')))) }),
        ...Array.from({ length: 44 }, () => ({ type: 'divider' })),
      ],
    };
    expect(atLimits.blocks).toHaveLength(50);
    expect(checkMessage(atLimits)).toEqual([]);

    const past = {
      text: 'x'.repeat(4001),
      blocks: [
        { type: 'header', text: plain('h'.repeat(151)) },
        section('s'.repeat(3001)),
        { type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) },
        { type: 'section', fields: [mrkdwn('f'.repeat(2001))] },
        { type: 'context', elements: Array.from({ length: 11 }, (_, i) => mrkdwn(`c${i}`)) },
        { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button('t', { action_id: `a${i}` })) },
        { type: 'actions', block_id: 'b'.repeat(256), elements: [button('t'.repeat(76), { action_id: 'a'.repeat(256), value: 'v'.repeat(2001) })] },
        section('pick', { accessory: select(Array.from({ length: 101 }, (_, i) => option('o', `${i}`))) }),
        section('pick', { accessory: select([option('o'.repeat(76), 'v'.repeat(151))]) }),
      ],
    };
    const problems = checkMessage(past);
    expect(pointers(problems).sort()).toEqual(
      [
        '/blocks/0/text/text',
        '/blocks/1/text/text',
        '/blocks/2/fields',
        '/blocks/3/fields/0/text',
        '/blocks/4/elements',
        '/blocks/5/elements',
        '/blocks/6/block_id',
        '/blocks/6/elements/0/text/text',
        '/blocks/6/elements/0/action_id',
        '/blocks/6/elements/0/value',
        '/blocks/7/accessory/options',
        '/blocks/8/accessory/options/0/text/text',
        '/blocks/8/accessory/options/0/value',
      ].sort(),
    );
    expect(problems.filter((p) => p.soft).map((p) => p.message)).toEqual(['text is 4001 characters: keep under 4000']);
  });

  it('counts 51 blocks as too many for a message but not for a view', () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(pointers(checkMessage({ text: 't', blocks }))).toEqual(['/blocks']);
    expect(checkView(modal({ blocks }), 'modal')).toEqual([]);
    expect(checkView(modal({ blocks: [...blocks, ...blocks] }), 'modal').map((p) => p.pointer)).toEqual(['/view/blocks']);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(checkView(modal({ title: plain('🙂'.repeat(24)) }), 'modal')).toEqual([]);
    expect(checkView(modal({ title: plain('🙂'.repeat(25)) }), 'modal')).toHaveLength(1);
  });

  it('refuses the shapes Slack refuses', () => {
    const problems = checkMessage({
      text: 't',
      blocks: [
        { type: 'header', text: mrkdwn('*bold*') },
        { type: 'section', text: { type: 'markdown', text: 'x' } },
        { type: 'section', text: mrkdwn('') },
        { type: 'section' },
        { type: 'actions', elements: [button('a', { action_id: 'same' }), button('b', { action_id: 'same' })] },
        { type: 'section', block_id: 'dup', text: mrkdwn('a') },
        { type: 'section', block_id: 'dup', text: mrkdwn('b') },
        { type: 'carousel' },
        section('pick', { accessory: select([option('A', 'a')], { initial_option: option('B', 'b') }) }),
        { type: 'actions', elements: [button('x', { style: 'green', action_id: 'st' })] },
        { type: 'image', image_url: 'https://example.com/x.png' },
      ],
    });
    expect(pointers(problems)).toEqual([
      '/blocks/0/text/type',
      '/blocks/1/text/type',
      '/blocks/2/text/text',
      '/blocks/3',
      '/blocks/4/elements/1/action_id',
      '/blocks/6/block_id',
      '/blocks/7/type',
      '/blocks/8/accessory/initial_option',
      '/blocks/9/elements/0/style',
      '/blocks/10/alt_text',
    ]);
  });

  it('needs text, blocks or attachments, caps text at 40000, and asks for a text fallback next to blocks', () => {
    expect(hard(checkMessage({})).map((p) => p.message)).toEqual(['no_text: text, blocks or attachments is required']);
    expect(hard(checkMessage({ text: 'x'.repeat(40001) }))[0]?.message).toMatch(/^msg_too_long/);
    const noFallback = checkMessage({ blocks: [section('hi')] });
    expect(hard(noFallback)).toEqual([]);
    expect(noFallback.map((p) => p.message)).toEqual(['blocks without a text fallback (notifications and screen readers need text)']);
    expect(checkMessage({ text: 't', blocks: '[{"type":' })[0]).toMatchObject({ kind: 'format' });
  });

  it('finds forbidden unescaped text in mrkdwn only, and not in its escaped form', () => {
    const forbidden = [/<!channel>/];
    const hostile = '<!channel> look';
    const escaped = '&lt;!channel&gt; look';
    const found = checkMessage(
      {
        text: hostile,
        blocks: [
          section(hostile),
          { type: 'section', fields: [mrkdwn(hostile)] },
          { type: 'context', elements: [mrkdwn(hostile)] },
          { type: 'header', text: plain(hostile) },
          section(escaped),
        ],
      },
      { forbidden },
    ).filter((p) => p.kind === 'forbidden');
    expect(found.map((p) => p.pointer)).toEqual(['/text', '/blocks/0/text/text', '/blocks/1/fields/0/text', '/blocks/2/elements/0/text']);
    expect(checkMessage({ text: escaped, blocks: [section(escaped)] }, { forbidden })).toEqual([]);
  });
});

describe('view rules', () => {
  it('limits modal title, submit and close to 24 plain_text characters', () => {
    expect(checkView(modal({ title: plain('t'.repeat(24)), submit: plain('s'.repeat(24)), close: plain('c'.repeat(24)) }), 'modal')).toEqual([]);
    const problems = checkView(modal({ title: plain('t'.repeat(25)), submit: plain('s'.repeat(25)), close: mrkdwn('c') }), 'modal');
    expect(problems.map((p) => p.pointer)).toEqual(['/view/title/text', '/view/submit/text', '/view/close/type']);
  });

  it('limits private_metadata to 3000 and wants submit on a modal with inputs', () => {
    expect(checkView(modal({ private_metadata: 'm'.repeat(3000) }), 'modal')).toEqual([]);
    expect(checkView(modal({ private_metadata: 'm'.repeat(3001) }), 'modal').map((p) => p.pointer)).toEqual(['/view/private_metadata']);
    const input = { type: 'input', label: plain('Why'), element: { type: 'plain_text_input', action_id: 'why' } };
    expect(checkView(modal({ blocks: [input] }), 'modal').map((p) => p.pointer)).toEqual(['/view/submit']);
    expect(checkView(modal({ blocks: [input], submit: plain('Save') }), 'modal')).toEqual([]);
  });

  it('keeps modals and Home tabs apart', () => {
    expect(checkView({ type: 'home', blocks: [section('hi')] }, 'home')).toEqual([]);
    expect(checkView(modal(), 'home').map((p) => p.pointer)).toEqual(['/view/type']);
    expect(checkView('{"type":"modal"', 'modal').map((p) => p.pointer)).toEqual(['/view']);
  });
});
