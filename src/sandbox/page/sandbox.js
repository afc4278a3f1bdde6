// The local Slack sandbox's page: renders what the bot posted (Block Kit), and turns clicks and
// typed commands into requests to the sandbox server, which signs them and sends them to the bot
// exactly as Slack would. Plain JS, no build step. Refreshes on every server-sent `change` event.
'use strict';

const $ = (selector) => document.querySelector(selector);

/** What the page shows now: a channel id, or 'home'. */
let current = { kind: 'channel', id: null };
let lastState = null;
let renderedModalKey = '';
let renderedHomeHash = '';
let renderedTimeline = '';
/** Modal input the user has typed or picked, per view id: { [blockId]: { [actionId]: stateValue } }. */
const modalValues = new Map();
/** Errors from a view_submission's response_action: errors, per view id. */
const modalErrors = new Map();
/** Message ts values shown before the last refresh, and their edit counts (to flash edits). */
const seenEdits = new Map();
const openThreads = new Set();

// ------------------------------------------------------------------ server calls

async function post(kind, body) {
  const response = await fetch(`/sandbox/${kind}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    toast(`The sandbox could not send that: ${answer.error || response.status}`, true);
    return null;
  }
  if (answer.status && answer.status !== 200) toast(`The bot answered HTTP ${answer.status}${typeof answer.body === 'string' ? `: ${answer.body}` : ''}`, true);
  else if (answer.tooSlow) toast(`The bot took ${answer.ms} ms to answer: Slack would have shown "This app took too long to respond".`, true);
  return answer;
}

async function refresh() {
  const channel = current.kind === 'channel' && current.id ? `?channel=${encodeURIComponent(current.id)}` : '';
  const response = await fetch(`/sandbox/state${channel}`);
  if (!response.ok) return;
  lastState = await response.json();
  if (current.kind === 'channel' && !current.id && lastState.channel) current.id = lastState.channel.id;
  render(lastState);
}

function listen() {
  const events = new EventSource('/sandbox/events');
  events.addEventListener('change', () => void refresh());
  events.addEventListener('refused', (event) => {
    const call = JSON.parse(event.data);
    const why = call.errors && call.errors.length ? ` (${call.errors.join('; ')})` : '';
    toast(`Slack would refuse the bot's ${call.method}: ${call.error}${why}`, true, 10000);
  });
  // EventSource reconnects by itself; say so once per outage, not at every attempt.
  let lost = false;
  events.onopen = () => (lost = false);
  events.onerror = () => {
    if (lost) return;
    lost = true;
    toast('Lost the connection to the sandbox: is `npm run demo` still running? Reconnecting…', true, 6000);
  };
}

// ------------------------------------------------------------------ page

function render(state) {
  $('#team-name').textContent = `${state.team.name} (sandbox)`;
  $('#who').textContent = `You are ${state.user.id} in this sandbox`;
  const list = $('#channel-list');
  list.replaceChildren(
    ...state.channels.map((channel) => {
      const li = el('li');
      const a = el('a', { href: `#${channel.id}`, 'data-nav': channel.id, 'data-channel-name': channel.name, text: `# ${channel.name}` });
      if (current.kind === 'channel' && current.id === channel.id) a.classList.add('active');
      li.append(a);
      return li;
    }),
  );
  $('#nav-home').classList.toggle('active', current.kind === 'home');
  const onHome = current.kind === 'home';
  $('#timeline').hidden = onHome;
  $('#composer').hidden = onHome;
  $('#home').hidden = !onHome;
  if (onHome) renderHome(state.home);
  else if (state.channel) renderChannel(state.channel);
  renderModals(state.modals);
}

function renderChannel(channel) {
  $('#main-header').textContent = `# ${channel.name}`;
  const key = JSON.stringify([channel.id, channel.messages, channel.ephemerals, [...openThreads]]);
  if (key === renderedTimeline) return;
  renderedTimeline = key;
  const timeline = $('#timeline');
  const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 40;
  const items = [
    ...channel.messages.map((message) => ({ at: Number(message.ts) * 1000, node: messageNode(channel, message) })),
    ...channel.ephemerals.map((message) => ({ at: Date.parse(message.at), node: ephemeralNode(channel, message) })),
  ].sort((a, b) => a.at - b.at);
  if (!items.length) timeline.replaceChildren(el('div', { class: 'empty', text: 'No messages yet. Type /tether help below, or /tether sync demo-shop.' }));
  else timeline.replaceChildren(...items.map((item) => item.node));
  if (atBottom) timeline.scrollTop = timeline.scrollHeight;
}

function messageNode(channel, message) {
  const node = el('div', { class: 'message', 'data-ts': message.ts });
  const previous = seenEdits.get(message.ts);
  if (previous !== undefined && previous !== message.edits) node.classList.add('flash');
  seenEdits.set(message.ts, message.edits);
  const body = el('div', { class: 'message-body' });
  const meta = el('div', { class: 'message-meta' });
  meta.append(el('span', { class: 'name', text: 'Tether' }), el('span', { class: 'app-badge', text: 'APP' }), el('span', { text: timeOf(message.ts) }));
  if (message.edits > 0) meta.append(el('span', { class: 'edited', text: '(edited)' }));
  body.append(meta, content(message, { kind: 'message', channel: channel.id, messageTs: message.ts }));
  if (message.replies.length) {
    const open = openThreads.has(message.ts);
    const toggle = el('button', { class: 'replies-toggle', type: 'button', text: `${message.replies.length} repl${message.replies.length === 1 ? 'y' : 'ies'}${open ? ' ▾' : ' ▸'}` });
    toggle.addEventListener('click', () => {
      if (openThreads.has(message.ts)) openThreads.delete(message.ts);
      else openThreads.add(message.ts);
      renderedTimeline = '';
      render(lastState);
    });
    body.append(toggle);
    if (open) {
      const replies = el('div', { class: 'replies' });
      for (const reply of message.replies) replies.append(content(reply, { kind: 'message', channel: channel.id, messageTs: reply.ts }));
      body.append(replies);
    }
  }
  node.append(el('div', { class: 'avatar', text: 'T' }), body);
  return node;
}

function ephemeralNode(channel, message) {
  const node = el('div', { class: 'message ephemeral', 'data-ephemeral': message.id });
  const body = el('div', { class: 'message-body' });
  const meta = el('div', { class: 'message-meta' });
  meta.append(el('span', { class: 'name', text: 'Tether' }), el('span', { class: 'app-badge', text: 'APP' }), el('span', { class: 'only-you', text: 'Only visible to you' }));
  body.append(meta, content(message, { kind: 'message', channel: channel.id, ephemeral: true }));
  node.append(el('div', { class: 'avatar', text: 'T' }), body);
  return node;
}

/** A message's blocks, or its text when it has none. */
function content(message, ctx) {
  if (Array.isArray(message.blocks) && message.blocks.length) return renderBlocks(message.blocks, ctx);
  return mrkdwnNode(message.text || '');
}

function renderHome(view) {
  $('#main-header').textContent = 'Tether · Home';
  const home = $('#home');
  if (!view) {
    renderedHomeHash = '';
    home.replaceChildren(el('div', { class: 'empty', text: 'Opening the Home tab…' }));
    return;
  }
  if (view.hash === renderedHomeHash) return;
  renderedHomeHash = view.hash;
  home.replaceChildren(renderBlocks(view.blocks, { kind: 'view', viewId: view.id, home: true }));
}

// ------------------------------------------------------------------ modals

function renderModals(stack) {
  const root = $('#modal-root');
  if (!stack.length) {
    root.hidden = true;
    root.replaceChildren();
    renderedModalKey = '';
    return;
  }
  const view = stack[stack.length - 1];
  const key = `${view.id}:${view.hash}:${stack.length}:${JSON.stringify(modalErrors.get(view.id) || {})}`;
  if (key === renderedModalKey) return;
  renderedModalKey = key;
  const ctx = { kind: 'view', viewId: view.id, modal: true };
  const modal = el('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'data-view-id': view.id, 'data-callback-id': view.callback_id || '' });
  const head = el('div', { class: 'modal-head' });
  const x = el('button', { class: 'modal-x', type: 'button', 'aria-label': 'Close all', text: '×' });
  x.addEventListener('click', () => void closeModal(view, true));
  head.append(el('div', { class: 'modal-title', text: textOf(view.title) || 'Modal' }));
  if (stack.length > 1) head.append(el('span', { class: 'modal-stack', text: `${stack.length} views deep` }));
  head.append(x);
  const body = el('div', { class: 'modal-body' });
  body.append(renderBlocks(view.blocks, ctx));
  const foot = el('div', { class: 'modal-foot' });
  const closeLabel = textOf(view.close) || (stack.length > 1 ? 'Back' : 'Cancel');
  const close = el('button', { class: 'btn', type: 'button', 'data-role': 'modal-close', text: closeLabel });
  close.addEventListener('click', () => void closeModal(view, stack.length === 1));
  foot.append(close);
  if (view.submit) {
    const submit = el('button', { class: 'btn primary', type: 'button', 'data-role': 'modal-submit', text: textOf(view.submit) });
    submit.addEventListener('click', () => void submitModal(view, submit));
    foot.append(submit);
  }
  modal.append(head, body, foot);
  root.replaceChildren(modal);
  root.hidden = false;
}

async function submitModal(view, button) {
  button.disabled = true;
  const answer = await post('submit', { viewId: view.id, values: modalValues.get(view.id) || {} });
  button.disabled = false;
  const body = answer && typeof answer.body === 'object' && answer.body ? answer.body : {};
  if (body.response_action === 'errors') {
    modalErrors.set(view.id, body.errors || {});
    renderedModalKey = '';
  } else modalErrors.delete(view.id);
  await refresh();
}

async function closeModal(view, isCleared) {
  await post('close', { viewId: view.id, isCleared });
  await refresh();
}

// ------------------------------------------------------------------ Block Kit

function renderBlocks(blocks, ctx) {
  const wrap = el('div', { class: 'blocks' });
  (blocks || []).forEach((block, index) => {
    const node = renderBlock(block, index, ctx);
    if (node) wrap.append(node);
  });
  return wrap;
}

function renderBlock(block, index, ctx) {
  const blockId = block.block_id || `sandbox-block-${index}`;
  const bctx = { ...ctx, blockId, inInput: false };
  let node;
  switch (block.type) {
    case 'header':
      node = el('div', { class: 'block block-header', text: textOf(block.text) });
      break;
    case 'section': {
      node = el('div', { class: 'block block-section' });
      const main = el('div', { class: 'section-main' });
      if (block.text) main.append(textNode(block.text));
      if (block.fields) {
        const fields = el('div', { class: 'fields' });
        for (const field of block.fields) fields.append(textNode(field));
        main.append(fields);
      }
      node.append(main);
      if (block.accessory) node.append(renderElement(block.accessory, bctx));
      break;
    }
    case 'context':
      node = el('div', { class: 'block block-context' });
      for (const element of block.elements || []) {
        if (element.type === 'image') node.append(el('img', { src: element.image_url, alt: element.alt_text || '', width: '16', height: '16' }));
        else node.append(textNode(element));
      }
      break;
    case 'divider':
      node = el('hr', { class: 'block block-divider' });
      break;
    case 'actions':
      node = el('div', { class: 'block block-actions' });
      for (const element of block.elements || []) node.append(renderElement(element, bctx));
      break;
    case 'input': {
      node = el('div', { class: 'block block-input' });
      const label = el('label', { text: textOf(block.label) });
      if (block.optional) label.append(el('span', { class: 'optional', text: ' (optional)' }));
      node.append(label, renderElement(block.element, { ...bctx, inInput: true, dispatch: block.dispatch_action === true }));
      if (block.hint) node.append(el('div', { class: 'hint', text: textOf(block.hint) }));
      const error = ctx.viewId && (modalErrors.get(ctx.viewId) || {})[blockId];
      if (error) node.append(el('div', { class: 'error', role: 'alert', text: error }));
      break;
    }
    case 'image':
      node = el('div', { class: 'block block-image' });
      node.append(el('img', { src: block.image_url, alt: block.alt_text || '' }));
      break;
    case 'markdown':
      node = el('div', { class: 'block' });
      node.append(mrkdwnNode(block.text || ''));
      break;
    default:
      node = el('div', { class: 'block block-error', text: `[${block.type} block: not shown by the sandbox]` });
  }
  node.dataset.blockId = blockId;
  node.dataset.blockType = block.type;
  return node;
}

function renderElement(element, ctx) {
  switch (element.type) {
    case 'button': {
      const button = el('button', { class: `btn ${element.style || ''}`.trim(), type: 'button', 'data-action-id': element.action_id, text: textOf(element.text) });
      button.addEventListener('click', async () => {
        if (element.confirm && !window.confirm(`${textOf(element.confirm.title)}\n\n${textOf(element.confirm.text)}`)) return;
        if (element.url) window.open(element.url, '_blank', 'noopener');
        button.disabled = true;
        await act(ctx, element, { value: element.value });
        button.disabled = false;
      });
      return button;
    }
    case 'static_select':
    case 'overflow':
      return staticSelect(element, ctx);
    case 'external_select':
      return externalSelect(element, ctx);
    case 'plain_text_input':
      return textInput(element, ctx);
    case 'image':
      return el('img', { src: element.image_url, alt: element.alt_text || '', width: '64' });
    default:
      return el('span', { class: 'block-error', text: `[${element.type}: not supported by the sandbox]` });
  }
}

function staticSelect(element, ctx) {
  const select = el('select', { 'data-action-id': element.action_id, 'aria-label': textOf(element.placeholder) || element.action_id });
  const stored = storedValue(ctx, element);
  const initial = stored ? stored.selected_option : element.initial_option;
  const placeholder = el('option', { value: '', text: element.type === 'overflow' ? '⋯' : textOf(element.placeholder) || 'Select…' });
  placeholder.disabled = true;
  select.append(placeholder);
  const all = [];
  const addOption = (parent, option) => {
    all.push(option);
    const node = el('option', { value: option.value, text: textOf(option.text) });
    if (initial && initial.value === option.value) node.selected = true;
    parent.append(node);
  };
  for (const option of element.options || []) addOption(select, option);
  for (const group of element.option_groups || []) {
    const node = el('optgroup', { label: textOf(group.label) });
    for (const option of group.options || []) addOption(node, option);
    select.append(node);
  }
  if (!initial) placeholder.selected = true;
  select.addEventListener('change', async () => {
    const option = all.find((o) => o.value === select.value);
    if (!option) return;
    const selected = { text: option.text, value: option.value };
    if (ctx.viewId) remember(ctx, element, { type: element.type, selected_option: selected });
    if (!ctx.inInput || ctx.dispatch) await act(ctx, element, { selectedOption: selected });
  });
  return select;
}

function externalSelect(element, ctx) {
  const wrap = el('div', { class: 'external', 'data-action-id': element.action_id });
  const input = el('input', { type: 'text', placeholder: textOf(element.placeholder) || 'Type to search…', 'aria-label': textOf(element.placeholder) || element.action_id });
  const chosen = el('div', { class: 'chosen' });
  const list = el('ul', { role: 'listbox' });
  list.hidden = true;
  const stored = storedValue(ctx, element);
  const initial = stored ? stored.selected_option : element.initial_option;
  if (initial) chosen.textContent = `✓ ${textOf(initial.text)}`;
  const minLength = element.min_query_length === undefined ? 3 : element.min_query_length;
  let timer = null;
  let asked = 0;
  const pick = async (option) => {
    const selected = { text: option.text, value: option.value };
    chosen.textContent = `✓ ${textOf(option.text)}`;
    input.value = '';
    list.hidden = true;
    if (ctx.viewId) remember(ctx, element, { type: 'external_select', selected_option: selected });
    if (!ctx.inInput || ctx.dispatch) await act(ctx, element, { selectedOption: selected });
  };
  const suggest = async () => {
    const typed = input.value;
    if (typed.length < minLength) {
      list.hidden = true;
      return;
    }
    const ask = ++asked;
    const answer = await post('suggest', { viewId: ctx.viewId, channel: ctx.channel, messageTs: ctx.messageTs, actionId: element.action_id, blockId: ctx.blockId, value: typed });
    if (ask !== asked || !answer) return;
    const body = answer.body && typeof answer.body === 'object' ? answer.body : {};
    const items = [];
    for (const option of body.options || []) items.push(optionItem(option, pick));
    for (const group of body.option_groups || []) {
      items.push(el('li', { class: 'group', text: textOf(group.label) }));
      for (const option of group.options || []) items.push(optionItem(option, pick));
    }
    if (!items.length) items.push(el('li', { class: 'group', text: 'No results' }));
    list.replaceChildren(...items);
    list.hidden = false;
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void suggest(), 200);
  });
  input.addEventListener('blur', () => setTimeout(() => (list.hidden = true), 200));
  wrap.append(input, list, chosen);
  return wrap;
}

function optionItem(option, pick) {
  const item = el('li', { role: 'option', 'data-value': option.value, text: textOf(option.text) });
  item.addEventListener('mousedown', (event) => {
    event.preventDefault();
    void pick(option);
  });
  return item;
}

function textInput(element, ctx) {
  const multiline = element.multiline === true;
  const input = el(multiline ? 'textarea' : 'input', { 'data-action-id': element.action_id, placeholder: textOf(element.placeholder) });
  if (!multiline) input.type = 'text';
  const stored = storedValue(ctx, element);
  input.value = stored ? stored.value || '' : element.initial_value || '';
  if (element.initial_value !== undefined && !stored && ctx.viewId) remember(ctx, element, { type: 'plain_text_input', value: element.initial_value });
  input.addEventListener('input', () => remember(ctx, element, { type: 'plain_text_input', value: input.value }));
  // dispatch_action: Enter sends a block action with what was typed.
  input.addEventListener('keydown', async (event) => {
    if (event.key !== 'Enter' || multiline || !ctx.dispatch) return;
    event.preventDefault();
    await act(ctx, element, { value: input.value });
  });
  return input;
}

/** A block_actions request for a click or a choice. */
async function act(ctx, element, extra) {
  const body = { actionId: element.action_id, blockId: ctx.blockId, ...extra };
  if (ctx.viewId) Object.assign(body, { viewId: ctx.viewId, values: modalValues.get(ctx.viewId) || {} });
  else Object.assign(body, { channel: ctx.channel, messageTs: ctx.messageTs });
  await post('action', body);
}

function remember(ctx, element, value) {
  if (!ctx.viewId) return;
  const values = modalValues.get(ctx.viewId) || {};
  values[ctx.blockId] = { ...(values[ctx.blockId] || {}), [element.action_id]: value };
  modalValues.set(ctx.viewId, values);
}

function storedValue(ctx, element) {
  const values = ctx.viewId && modalValues.get(ctx.viewId);
  return values && values[ctx.blockId] ? values[ctx.blockId][element.action_id] : undefined;
}

// ------------------------------------------------------------------ text

/** A text object's text; plain_text with `emoji: true` (Slack's default) shows :emoji: codes as emoji. */
function textOf(text) {
  if (!text) return '';
  if (typeof text === 'string') return text;
  const value = text.text || '';
  return text.type === 'plain_text' && text.emoji !== false ? emojify(value) : value;
}

function emojify(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] || whole);
}

function textNode(text) {
  if (text.type === 'plain_text') return el('span', { class: 'plain', text: textOf(text) });
  return mrkdwnNode(text.text || '');
}

const EMOJI = {
  warning: '⚠️', white_check_mark: '✅', x: '❌', rotating_light: '🚨', recycle: '♻️', label: '🏷️', repeat: '🔁', red_circle: '🔴',
  lock: '🔒', hourglass_flowing_sand: '⏳', bulb: '💡', zzz: '💤', white_circle: '⚪', test_tube: '🧪', no_entry: '⛔', no_bell: '🔕',
  large_green_circle: '🟢', information_source: 'ℹ️', no_entry_sign: '🚫', mute: '🔇', mag: '🔍', fast_forward: '⏩',
  black_square_for_stop: '⏹️', bell: '🔔', arrows_counterclockwise: '🔄', large_yellow_circle: '🟡', hourglass: '⌛', tada: '🎉',
};

const escapeHtml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Slack escapes &, < and > in text; the rest is literal. */
const unescapeSlack = (text) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Slack mrkdwn → HTML: control sequences (<…>) first, as placeholders, then *bold* _italic_ ~strike~ `code` ```pre``` and > quotes. */
function mrkdwnHtml(text) {
  const tokens = [];
  const hold = (html) => `\u0000${tokens.push(html) - 1}\u0000`;
  let source = text.replace(/```([\s\S]*?)```/g, (_, code) => hold(`<pre>${escapeHtml(unescapeSlack(code))}</pre>`));
  source = source.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(unescapeSlack(code))}</code>`));
  source = source.replace(/<([^<>]+)>/g, (_, inner) => hold(controlSequence(inner)));
  let html = escapeHtml(unescapeSlack(source));
  html = html.replace(/(^|[\s(>\u0000])\*([^*\n]+)\*(?=$|[\s.,;:!?)<\u0000])/g, '$1<b>$2</b>');
  html = html.replace(/(^|[\s(>\u0000])_([^_\n]+)_(?=$|[\s.,;:!?)<\u0000])/g, '$1<i>$2</i>');
  html = html.replace(/(^|[\s(>\u0000])~([^~\n]+)~(?=$|[\s.,;:!?)<\u0000])/g, '$1<s>$2</s>');
  html = emojify(html);
  html = html
    .split('\n')
    .map((line) => (line.startsWith('&gt; ') ? `<blockquote>${line.slice(5)}</blockquote>` : line))
    .join('<br>')
    .replace(/<\/blockquote><br>/g, '</blockquote>');
  return html.replace(/\u0000(\d+)\u0000/g, (_, n) => tokens[Number(n)]);
}

/** `<!date^…>`, `<@U…>`, `<#C…|name>`, `<!here>`, `<url|label>`. */
function controlSequence(inner) {
  const [target, ...rest] = inner.split('|');
  const label = rest.join('|');
  if (target.startsWith('!date^')) return formatDate(target, label);
  if (target.startsWith('@')) return `<span class="mention">@${escapeHtml(unescapeSlack(label || target.slice(1)))}</span>`;
  if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(unescapeSlack(label || target.slice(1)))}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1).replace(/^subteam\^/, ''))}</span>`;
  const href = unescapeSlack(target);
  if (!/^(https?:|mailto:)/.test(href)) return escapeHtml(`<${unescapeSlack(inner)}>`);
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${escapeHtml(unescapeSlack(label || href))}</a>`;
}

/** `<!date^1700000000^{date_short_pretty} at {time}^optional_link|fallback>` in the reader's own time zone, like Slack. */
function formatDate(target, fallback) {
  const [, seconds, format = '', link] = target.split('^');
  const at = new Date(Number(seconds) * 1000);
  if (!Number.isFinite(at.getTime())) return escapeHtml(unescapeSlack(fallback || target));
  const day = (date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
  const today = day(new Date());
  const pretty = (fallbackText) => {
    const diff = Math.round((day(at) - today) / 86_400_000);
    return diff === 0 ? 'today' : diff === -1 ? 'yesterday' : diff === 1 ? 'tomorrow' : fallbackText;
  };
  const dateLong = at.toLocaleDateString('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
  const dateMid = at.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric' });
  const dateShort = at.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
  const pad = (n) => String(n).padStart(2, '0');
  const ago = () => {
    const s = Math.round((Date.now() - at.getTime()) / 1000);
    const abs = Math.abs(s);
    const [n, unit] = abs < 60 ? [abs, 'second'] : abs < 3600 ? [Math.round(abs / 60), 'minute'] : abs < 86400 ? [Math.round(abs / 3600), 'hour'] : [Math.round(abs / 86400), 'day'];
    return s >= 0 ? `${n} ${unit}${n === 1 ? '' : 's'} ago` : `in ${n} ${unit}${n === 1 ? '' : 's'}`;
  };
  const values = {
    date_num: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    date: dateMid,
    date_short: dateShort,
    date_long: dateLong,
    date_pretty: pretty(dateMid),
    date_short_pretty: pretty(dateShort),
    date_long_pretty: pretty(dateLong),
    time: at.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' }),
    time_secs: at.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', second: '2-digit' }),
    ago: ago(),
  };
  const text = format.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  const html = `<time datetime="${at.toISOString()}" title="${escapeHtml(at.toString())}">${escapeHtml(text)}</time>`;
  return link ? `<a href="${escapeHtml(link)}" target="_blank" rel="noopener">${html}</a>` : html;
}

function mrkdwnNode(text) {
  const node = el('div', { class: 'mrkdwn' });
  node.innerHTML = mrkdwnHtml(text);
  return node;
}

function timeOf(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit', second: '2-digit' });
}

// ------------------------------------------------------------------ small helpers

function el(tag, attributes = {}) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  return node;
}

function toast(message, isError = false, ms = 6000) {
  const node = el('div', { class: `toast${isError ? ' error' : ''}`, role: 'status', text: message });
  $('#toasts').append(node);
  setTimeout(() => node.remove(), ms);
}

// ------------------------------------------------------------------ navigation and the composer

async function navigate(target) {
  if (target === 'home') {
    current = { kind: 'home' };
    renderedHomeHash = '';
    if (lastState) render(lastState);
    // Like Slack: every visit to the tab sends app_home_opened.
    await post('home', {});
  } else {
    current = { kind: 'channel', id: target };
    renderedTimeline = '';
  }
  await refresh();
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('[data-nav]');
  if (!link) return;
  event.preventDefault();
  void navigate(link.dataset.nav);
});

$('#composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('#composer-input');
  const text = input.value.trim();
  if (!text) return;
  if (!/^\/tether(\s|$)/.test(text)) {
    toast('The sandbox only sends /tether commands to the bot (try /tether help).', true);
    return;
  }
  if (current.kind !== 'channel' || !current.id) return;
  input.value = '';
  await post('command', { channel: current.id, text });
});

listen();
void refresh();
