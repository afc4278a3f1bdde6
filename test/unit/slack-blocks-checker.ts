/**
 * An independent Block Kit checker for the builder tests: Slack's limits written out again here
 * (not imported from src/slack/blocks/limits.ts, so a wrong constant there is caught), unique
 * ids, and mrkdwn safety — every `<` must open one of our own tokens (`<!date^…|…>`, or `<@U…>`
 * of a user the builder was given), and every `&` must start an entity.
 *
 * Each check returns a list of problems (empty = valid) so a failing test shows all of them.
 */

const SLACK = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  modalTitle: 24,
  buttonText: 75,
  id: 255,
  buttonValue: 2000,
  buttonUrl: 3000,
  options: 100,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  inputValue: 3000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  privateMetadata: 3000,
  messageText: 4000,
} as const;

export interface CheckOptions {
  /** Slack user ids the builder was given (requestedBy, actor, admins): `<@id>` of these is allowed. */
  allowedUsers?: string[];
}

type Json = Record<string, any>;

class Checker {
  problems: string[] = [];
  private blockIds = new Set<string>();
  constructor(private readonly options: CheckOptions) {}

  fail(where: string, what: string): void {
    this.problems.push(`${where}: ${what}`);
  }

  max(where: string, value: string | undefined, limit: number): void {
    if (value === undefined) return;
    if (typeof value !== 'string') return this.fail(where, `not a string (${typeof value})`);
    if (value.length > limit) this.fail(where, `${value.length} chars > ${limit}`);
  }

  /** mrkdwn: every `<` opens an allowed token, every `&` starts an entity. */
  mrkdwnSafe(where: string, text: string): void {
    const allowed = new Set(this.options.allowedUsers ?? []);
    for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
      const rest = text.slice(i);
      const date = /^<!date\^\d+\^[^|<>]*\|[^<>]*>/.exec(rest);
      const user = /^<@([UW][A-Z0-9]+)>/.exec(rest);
      if (date) continue;
      if (user && allowed.has(user[1]!)) continue;
      this.fail(where, `unescaped "<" in mrkdwn: ${JSON.stringify(rest.slice(0, 40))}`);
    }
    const stripped = text.replace(/<!date\^\d+\^[^|<>]*\|[^<>]*>/g, '').replace(/<@[UW][A-Z0-9]+>/g, '');
    if (stripped.includes('>')) this.fail(where, `unescaped ">" in mrkdwn: ${JSON.stringify(stripped.slice(stripped.indexOf('>') - 20, stripped.indexOf('>') + 5))}`);
    for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
      if (!/^&(amp|lt|gt);/.test(text.slice(i))) this.fail(where, `bare "&" in mrkdwn: ${JSON.stringify(text.slice(i, i + 12))}`);
    }
  }

  textObject(where: string, object: Json | undefined, limit: number, options: { plainOnly?: boolean } = {}): void {
    if (object === undefined) return;
    if (!object || typeof object.text !== 'string') return this.fail(where, 'text object without text');
    if (object.type !== 'plain_text' && object.type !== 'mrkdwn') this.fail(where, `text type ${object.type}`);
    if (options.plainOnly && object.type !== 'plain_text') this.fail(where, 'must be plain_text');
    if (object.text.length === 0) this.fail(where, 'empty text');
    this.max(where, object.text, limit);
    if (object.type === 'mrkdwn') this.mrkdwnSafe(where, object.text);
    // Slack shows plain_text literally: escaping it would show "&lt;" to people. (Test data has
    // no literal "&lt;" / "&gt;", so any here came from escaping by mistake.)
    if (object.type === 'plain_text' && /&(lt|gt);/.test(object.text)) this.fail(where, `escaped plain_text: ${JSON.stringify(object.text.slice(0, 40))}`);
  }

  element(where: string, element: Json): void {
    this.max(`${where}.action_id`, element.action_id, SLACK.id);
    switch (element.type) {
      case 'button':
        if (!element.action_id) this.fail(where, 'button without action_id');
        this.textObject(`${where}.text`, element.text, SLACK.buttonText, { plainOnly: true });
        this.max(`${where}.value`, element.value, SLACK.buttonValue);
        if (element.value === '') this.fail(where, 'empty button value');
        this.max(`${where}.url`, element.url, SLACK.buttonUrl);
        break;
      case 'static_select': {
        const options: Json[] = element.options ?? [];
        if (!options.length) this.fail(where, 'select without options');
        if (options.length > SLACK.options) this.fail(where, `${options.length} options > ${SLACK.options}`);
        const values = new Set<string>();
        options.forEach((option, i) => {
          this.textObject(`${where}.options[${i}].text`, option.text, SLACK.optionText, { plainOnly: true });
          this.max(`${where}.options[${i}].value`, option.value, SLACK.optionValue);
          if (!option.value) this.fail(`${where}.options[${i}]`, 'empty option value');
          if (values.has(option.value)) this.fail(`${where}.options[${i}]`, `duplicate value ${option.value}`);
          values.add(option.value);
        });
        if (element.initial_option && !options.some((o) => JSON.stringify(o) === JSON.stringify(element.initial_option))) {
          this.fail(where, 'initial_option is not one of the options');
        }
        this.textObject(`${where}.placeholder`, element.placeholder, SLACK.placeholder, { plainOnly: true });
        break;
      }
      case 'external_select':
        if (!element.action_id) this.fail(where, 'external_select without action_id');
        if ('options' in element || 'option_groups' in element) this.fail(where, 'external_select with options of its own');
        if (element.min_query_length !== undefined && (!Number.isInteger(element.min_query_length) || element.min_query_length < 0)) {
          this.fail(where, `min_query_length ${element.min_query_length}`);
        }
        if (element.initial_option) {
          this.textObject(`${where}.initial_option.text`, element.initial_option.text, SLACK.optionText, { plainOnly: true });
          this.max(`${where}.initial_option.value`, element.initial_option.value, SLACK.optionValue);
        }
        this.textObject(`${where}.placeholder`, element.placeholder, SLACK.placeholder, { plainOnly: true });
        break;
      case 'plain_text_input':
        this.max(`${where}.initial_value`, element.initial_value, Math.min(SLACK.inputValue, element.max_length ?? SLACK.inputValue));
        this.textObject(`${where}.placeholder`, element.placeholder, SLACK.placeholder, { plainOnly: true });
        break;
      default:
        this.fail(where, `unexpected element type ${element.type}`);
    }
  }

  block(where: string, block: Json): void {
    if (block.block_id !== undefined) {
      this.max(`${where}.block_id`, block.block_id, SLACK.id);
      if (this.blockIds.has(block.block_id)) this.fail(where, `duplicate block_id ${block.block_id}`);
      this.blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section': {
        if (!block.text && !block.fields?.length) this.fail(where, 'section without text or fields');
        this.textObject(`${where}.text`, block.text, SLACK.sectionText);
        const fields: Json[] = block.fields ?? [];
        if (fields.length > SLACK.sectionFields) this.fail(where, `${fields.length} fields > ${SLACK.sectionFields}`);
        fields.forEach((field, i) => this.textObject(`${where}.fields[${i}]`, field, SLACK.fieldText));
        if (block.accessory) this.element(`${where}.accessory`, block.accessory);
        break;
      }
      case 'header':
        this.textObject(`${where}.text`, block.text, SLACK.headerText, { plainOnly: true });
        break;
      case 'context': {
        const elements: Json[] = block.elements ?? [];
        if (!elements.length) this.fail(where, 'empty context');
        if (elements.length > SLACK.contextElements) this.fail(where, `${elements.length} context elements > ${SLACK.contextElements}`);
        elements.forEach((element, i) => this.textObject(`${where}.elements[${i}]`, element, SLACK.contextText));
        break;
      }
      case 'actions': {
        const elements: Json[] = block.elements ?? [];
        if (!elements.length) this.fail(where, 'empty actions');
        if (elements.length > SLACK.actionsElements) this.fail(where, `${elements.length} actions elements > ${SLACK.actionsElements}`);
        const actionIds = elements.map((element) => element.action_id);
        if (new Set(actionIds).size !== actionIds.length) this.fail(where, `duplicate action_id in one block: ${actionIds.join(', ')}`);
        elements.forEach((element, i) => this.element(`${where}.elements[${i}]`, element));
        break;
      }
      case 'input':
        if (!block.label) this.fail(where, 'input without label');
        this.textObject(`${where}.label`, block.label, SLACK.inputLabel, { plainOnly: true });
        this.textObject(`${where}.hint`, block.hint, SLACK.inputHint, { plainOnly: true });
        if (block.optional !== undefined && typeof block.optional !== 'boolean') this.fail(where, 'optional is not a boolean');
        this.element(`${where}.element`, block.element);
        break;
      case 'divider':
        break;
      default:
        this.fail(where, `unexpected block type ${block.type}`);
    }
  }

  blocks(blocks: Json[], limit: number): void {
    if (!Array.isArray(blocks)) return this.fail('blocks', 'not an array');
    if (blocks.length > limit) this.fail('blocks', `${blocks.length} blocks > ${limit}`);
    if (!blocks.length) this.fail('blocks', 'no blocks');
    blocks.forEach((block, i) => this.block(`blocks[${i}]`, block));
  }
}

/** A message (`{ text, blocks }`): ≤ 50 blocks, a short mrkdwn-safe `text`, every block valid. */
export function checkMessage(message: { text: string; blocks: unknown[] }, options: CheckOptions = {}): string[] {
  const checker = new Checker(options);
  if (typeof message.text !== 'string' || !message.text.trim()) checker.fail('text', 'missing fallback text');
  else {
    checker.max('text', message.text, SLACK.messageText - 1);
    checker.mrkdwnSafe('text', message.text);
  }
  checker.blocks(message.blocks as Json[], SLACK.messageBlocks);
  return checker.problems;
}

/** A modal or Home view: ≤ 100 blocks, title / submit / close, callback_id, private_metadata. */
export function checkView(view: Json, options: CheckOptions = {}): string[] {
  const checker = new Checker(options);
  if (view.type !== 'modal' && view.type !== 'home') checker.fail('type', `view type ${view.type}`);
  if (view.type === 'modal') {
    if (!view.title) checker.fail('title', 'modal without title');
    checker.textObject('title', view.title, SLACK.modalTitle, { plainOnly: true });
    checker.textObject('submit', view.submit, SLACK.modalTitle, { plainOnly: true });
    checker.textObject('close', view.close, SLACK.modalTitle, { plainOnly: true });
    if ((view.blocks as Json[]).some((block) => block.type === 'input') && !view.submit) checker.fail('submit', 'a modal with an input block needs submit');
  }
  checker.max('callback_id', view.callback_id, SLACK.id);
  checker.max('private_metadata', view.private_metadata, SLACK.privateMetadata);
  checker.blocks(view.blocks, SLACK.viewBlocks);
  return checker.problems;
}

/** Every mrkdwn and plain text of a payload, joined: for content assertions. */
export function allText(payload: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const object = node as Json;
      if ((object.type === 'mrkdwn' || object.type === 'plain_text') && typeof object.text === 'string') texts.push(object.text);
      Object.values(object).forEach(walk);
    }
  };
  walk(payload);
  return texts.join('\n');
}

/** Every button (anywhere in the payload), in order. */
export function buttons(payload: unknown): Json[] {
  const found: Json[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const object = node as Json;
      if (object.type === 'button') found.push(object);
      Object.values(object).forEach(walk);
    }
  };
  walk(payload);
  return found;
}
