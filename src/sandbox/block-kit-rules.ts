/**
 * Block Kit rules the fake Slack enforces, from /work/shared/SLACK.md and Slack's Block Kit
 * reference. Pure functions: they walk a message or a view and return every problem found, each
 * with a JSON pointer like Slack's own `[json-pointer:/blocks/3/text]`.
 *
 * `soft` problems are things Slack accepts but the project's conventions forbid (text over 4000
 * chars, no `text` fallback next to blocks); the fake records them as violations without
 * rejecting the call. Everything else is refused the way Slack refuses it.
 */

export type Surface = 'message' | 'modal' | 'home';

export interface Problem {
  /** JSON pointer into the request, e.g. `/blocks/3/text/text` or `/view/title/text`. */
  pointer: string;
  message: string;
  /** Accepted by Slack, but against the project's rules. */
  soft?: boolean;
  /** `format` = not even the right shape (Slack: invalid_blocks_format); `forbidden` = a forbidUnescaped pattern matched. */
  kind?: 'format' | 'forbidden' | 'length';
}

export interface RuleOptions {
  /** Patterns that must not appear in any mrkdwn text (see FakeSlack.forbidUnescaped). */
  forbidden?: readonly RegExp[];
}

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  headerText: 150,
  placeholder: 150,
  modalTitle: 24,
  modalButton: 24,
  buttonText: 75,
  actionId: 255,
  blockId: 255,
  buttonValue: 2000,
  url: 3000,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  contextElements: 10,
  actionsElements: 25,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  messageTextSoft: 4000,
  messageTextHard: 40000,
  label: 2000,
  hint: 2000,
  altText: 2000,
  imageTitle: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  checkboxOptions: 10,
  radioOptions: 10,
  overflowOptions: 5,
  markdownBlock: 12000,
  inputMaxLength: 3000,
} as const;

/** Length as Slack counts it: characters (code points), not UTF-16 units. */
export const charLength = (text: string): number => Array.from(text).length;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const SELECTS = [
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
];
const MULTI_SELECTS = SELECTS.map((type) => `multi_${type}`);
const INTERACTIVE = [
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'overflow',
  'radio_buttons',
  'timepicker',
  'workflow_button',
  ...SELECTS,
  ...MULTI_SELECTS,
];
const ACCESSORY = [...INTERACTIVE, 'image', 'plain_text_input'];
const INPUT_ELEMENTS = [
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'file_input',
  'rich_text_input',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'radio_buttons',
  'timepicker',
  ...SELECTS,
  ...MULTI_SELECTS,
];
const BLOCK_TYPES = [
  'section',
  'header',
  'context',
  'actions',
  'divider',
  'image',
  'input',
  'rich_text',
  'markdown',
  'video',
  'file',
  'call',
  'context_actions',
  'table',
];

class Walker {
  readonly problems: Problem[] = [];

  constructor(private readonly rules: RuleOptions) {}

  add(pointer: string, message: string, extra: Omit<Problem, 'pointer' | 'message'> = {}): void {
    this.problems.push({ pointer, message, ...extra });
  }

  max(value: unknown, limit: number, pointer: string, what: string): void {
    if (typeof value === 'string' && charLength(value) > limit)
      this.add(pointer, `${what} must be at most ${limit} characters (got ${charLength(value)})`, { kind: 'length' });
  }

  /** A string field that must be present (non-empty) and within a limit. */
  requiredString(value: unknown, limit: number | null, pointer: string, what: string): void {
    if (typeof value !== 'string' || value.length === 0) return this.add(pointer, `${what} is required and must be a non-empty string`);
    if (limit !== null) this.max(value, limit, pointer, what);
  }

  optionalString(value: unknown, limit: number, pointer: string, what: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string') return this.add(pointer, `${what} must be a string`);
    this.max(value, limit, pointer, what);
  }

  /** Checks mrkdwn (and message `text`) against the forbidden patterns. */
  scan(text: string, pointer: string): void {
    for (const pattern of this.rules.forbidden ?? []) {
      pattern.lastIndex = 0;
      const match = pattern.exec(text);
      pattern.lastIndex = 0;
      if (match)
        this.add(pointer, `unescaped ${JSON.stringify(match[0])} reached Slack (forbidden by ${String(pattern)}); escape & < > as &amp; &lt; &gt;`, {
          kind: 'forbidden',
        });
    }
  }

  textObject(
    value: unknown,
    pointer: string,
    what: string,
    { plainOnly = false, max, required = true }: { plainOnly?: boolean; max?: number; required?: boolean } = {},
  ): void {
    if (value === undefined && !required) return;
    if (!isObject(value)) return this.add(pointer, `${what} must be a text object {type, text}`);
    const { type, text } = value;
    if (type !== 'plain_text' && type !== 'mrkdwn')
      return this.add(`${pointer}/type`, `${what}: text object type must be plain_text or mrkdwn (got ${JSON.stringify(type)})`);
    if (plainOnly && type !== 'plain_text') this.add(`${pointer}/type`, `${what} must be plain_text (got mrkdwn)`);
    if (type === 'mrkdwn' && value.emoji !== undefined) this.add(`${pointer}/emoji`, `${what}: emoji is only allowed on plain_text`);
    if (typeof text !== 'string' || text.length === 0) return this.add(`${pointer}/text`, `${what} text must be a non-empty string`);
    if (max !== undefined) this.max(text, max, `${pointer}/text`, what);
    if (type === 'mrkdwn') this.scan(text, `${pointer}/text`);
  }

  confirm(value: unknown, pointer: string): void {
    if (value === undefined) return;
    if (!isObject(value)) return this.add(pointer, 'confirm must be an object');
    this.textObject(value.title, `${pointer}/title`, 'confirm title', { plainOnly: true, max: LIMITS.confirmTitle });
    this.textObject(value.text, `${pointer}/text`, 'confirm text', { max: LIMITS.confirmText });
    this.textObject(value.confirm, `${pointer}/confirm`, 'confirm button', { plainOnly: true, max: LIMITS.confirmButton });
    this.textObject(value.deny, `${pointer}/deny`, 'deny button', { plainOnly: true, max: LIMITS.confirmButton });
    if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger')
      this.add(`${pointer}/style`, 'confirm style must be primary or danger');
  }

  option(value: unknown, pointer: string, { plainOnly }: { plainOnly: boolean }): void {
    if (!isObject(value)) return this.add(pointer, 'option must be an object {text, value}');
    this.textObject(value.text, `${pointer}/text`, 'option text', { plainOnly, max: LIMITS.optionText });
    this.requiredString(value.value, LIMITS.optionValue, `${pointer}/value`, 'option value');
    this.textObject(value.description, `${pointer}/description`, 'option description', {
      plainOnly,
      max: LIMITS.optionDescription,
      required: false,
    });
    this.optionalString(value.url, LIMITS.url, `${pointer}/url`, 'option url');
  }

  options(value: unknown, pointer: string, { min, max, plainOnly }: { min: number; max: number; plainOnly: boolean }): unknown[] {
    if (!Array.isArray(value)) {
      this.add(pointer, 'options must be an array');
      return [];
    }
    if (value.length < min) this.add(pointer, `must have at least ${min} option(s)`);
    if (value.length > max) this.add(pointer, `must have at most ${max} options (got ${value.length})`, { kind: 'length' });
    value.forEach((option, index) => this.option(option, `${pointer}/${index}`, { plainOnly }));
    return value;
  }

  /** `initial_option(s)` must exactly match one of the element's options, as Slack requires. */
  initialMatches(initial: unknown, options: unknown[], pointer: string): void {
    const same = (a: unknown, b: unknown): boolean => {
      if (!isObject(a) || !isObject(b)) return false;
      const ta = a.text as Record<string, unknown> | undefined;
      const tb = b.text as Record<string, unknown> | undefined;
      return a.value === b.value && ta?.text === tb?.text && ta?.type === tb?.type;
    };
    if (!options.some((option) => same(option, initial)))
      this.add(pointer, 'initial option must exactly match one of the options (same text and value)');
  }

  element(value: unknown, pointer: string, allowed: readonly string[], actionIds: Set<string>): void {
    if (!isObject(value)) return this.add(pointer, 'element must be an object');
    const type = value.type;
    if (typeof type !== 'string' || !allowed.includes(type))
      return this.add(`${pointer}/type`, `element type ${JSON.stringify(type)} is not allowed here`);
    if (type === 'image') {
      if (value.image_url === undefined && value.slack_file === undefined) this.add(pointer, 'image element needs image_url or slack_file');
      this.optionalString(value.image_url, LIMITS.url, `${pointer}/image_url`, 'image_url');
      this.requiredString(value.alt_text, LIMITS.altText, `${pointer}/alt_text`, 'alt_text');
      return;
    }
    if (value.action_id !== undefined) {
      if (typeof value.action_id !== 'string' || value.action_id.length === 0)
        this.add(`${pointer}/action_id`, 'action_id must be a non-empty string');
      else {
        this.max(value.action_id, LIMITS.actionId, `${pointer}/action_id`, 'action_id');
        if (actionIds.has(value.action_id)) this.add(`${pointer}/action_id`, `action_id ${JSON.stringify(value.action_id)} is not unique in its block`);
        actionIds.add(value.action_id);
      }
    }
    this.confirm(value.confirm, `${pointer}/confirm`);
    const placeholder = () =>
      this.textObject(value.placeholder, `${pointer}/placeholder`, 'placeholder', { plainOnly: true, max: LIMITS.placeholder, required: false });
    switch (type) {
      case 'button':
        this.textObject(value.text, `${pointer}/text`, 'button text', { plainOnly: true, max: LIMITS.buttonText });
        this.optionalString(value.value, LIMITS.buttonValue, `${pointer}/value`, 'button value');
        this.optionalString(value.url, LIMITS.url, `${pointer}/url`, 'button url');
        if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger')
          this.add(`${pointer}/style`, 'button style must be primary or danger');
        this.optionalString(value.accessibility_label, LIMITS.buttonText, `${pointer}/accessibility_label`, 'accessibility_label');
        break;
      case 'static_select':
      case 'multi_static_select': {
        placeholder();
        const hasOptions = value.options !== undefined;
        const hasGroups = value.option_groups !== undefined;
        if (hasOptions === hasGroups) this.add(pointer, `${type} needs exactly one of options or option_groups`);
        let all: unknown[] = [];
        if (hasOptions) all = this.options(value.options, `${pointer}/options`, { min: 1, max: LIMITS.selectOptions, plainOnly: true });
        if (hasGroups) {
          if (!Array.isArray(value.option_groups)) this.add(`${pointer}/option_groups`, 'option_groups must be an array');
          else {
            if (value.option_groups.length > LIMITS.selectOptions)
              this.add(`${pointer}/option_groups`, `must have at most ${LIMITS.selectOptions} option groups`, { kind: 'length' });
            value.option_groups.forEach((group: unknown, index: number) => {
              const groupPointer = `${pointer}/option_groups/${index}`;
              if (!isObject(group)) return this.add(groupPointer, 'option group must be an object');
              this.textObject(group.label, `${groupPointer}/label`, 'option group label', { plainOnly: true, max: LIMITS.optionText });
              all = all.concat(this.options(group.options, `${groupPointer}/options`, { min: 1, max: LIMITS.selectOptions, plainOnly: true }));
            });
          }
        }
        if (value.initial_option !== undefined) this.initialMatches(value.initial_option, all, `${pointer}/initial_option`);
        if (Array.isArray(value.initial_options))
          value.initial_options.forEach((initial, index) => this.initialMatches(initial, all, `${pointer}/initial_options/${index}`));
        break;
      }
      case 'overflow':
        this.options(value.options, `${pointer}/options`, { min: 1, max: LIMITS.overflowOptions, plainOnly: true });
        break;
      case 'checkboxes':
      case 'radio_buttons': {
        const limit = type === 'checkboxes' ? LIMITS.checkboxOptions : LIMITS.radioOptions;
        const all = this.options(value.options, `${pointer}/options`, { min: 1, max: limit, plainOnly: false });
        if (value.initial_option !== undefined) this.initialMatches(value.initial_option, all, `${pointer}/initial_option`);
        if (Array.isArray(value.initial_options))
          value.initial_options.forEach((initial, index) => this.initialMatches(initial, all, `${pointer}/initial_options/${index}`));
        break;
      }
      case 'plain_text_input':
        placeholder();
        for (const key of ['max_length', 'min_length'] as const)
          if (value[key] !== undefined && (typeof value[key] !== 'number' || (value[key] as number) > LIMITS.inputMaxLength))
            this.add(`${pointer}/${key}`, `${key} must be a number ≤ ${LIMITS.inputMaxLength}`);
        break;
      default:
        placeholder();
    }
  }

  block(value: unknown, pointer: string, blockIds: Set<string>): void {
    if (!isObject(value)) return this.add(pointer, 'block must be an object');
    const type = value.type;
    if (typeof type !== 'string' || !BLOCK_TYPES.includes(type)) return this.add(`${pointer}/type`, `unknown block type ${JSON.stringify(type)}`);
    if (value.block_id !== undefined) {
      if (typeof value.block_id !== 'string' || value.block_id.length === 0) this.add(`${pointer}/block_id`, 'block_id must be a non-empty string');
      else {
        this.max(value.block_id, LIMITS.blockId, `${pointer}/block_id`, 'block_id');
        if (blockIds.has(value.block_id)) this.add(`${pointer}/block_id`, `block_id ${JSON.stringify(value.block_id)} is not unique`);
        blockIds.add(value.block_id);
      }
    }
    const actionIds = new Set<string>();
    switch (type) {
      case 'section': {
        if (value.text === undefined && value.fields === undefined) this.add(pointer, 'section needs text or fields');
        if (value.text !== undefined) this.textObject(value.text, `${pointer}/text`, 'section text', { max: LIMITS.sectionText });
        if (value.fields !== undefined) {
          if (!Array.isArray(value.fields)) this.add(`${pointer}/fields`, 'fields must be an array');
          else {
            if (value.fields.length === 0) this.add(`${pointer}/fields`, 'fields must not be empty');
            if (value.fields.length > LIMITS.sectionFields)
              this.add(`${pointer}/fields`, `must have at most ${LIMITS.sectionFields} fields (got ${value.fields.length})`, { kind: 'length' });
            value.fields.forEach((field, index) =>
              this.textObject(field, `${pointer}/fields/${index}`, 'section field', { max: LIMITS.sectionField }),
            );
          }
        }
        if (value.accessory !== undefined) this.element(value.accessory, `${pointer}/accessory`, ACCESSORY, actionIds);
        break;
      }
      case 'header':
        this.textObject(value.text, `${pointer}/text`, 'header text', { plainOnly: true, max: LIMITS.headerText });
        break;
      case 'context': {
        if (!Array.isArray(value.elements) || value.elements.length === 0) {
          this.add(`${pointer}/elements`, 'context needs 1 or more elements');
          break;
        }
        if (value.elements.length > LIMITS.contextElements)
          this.add(`${pointer}/elements`, `must have at most ${LIMITS.contextElements} elements (got ${value.elements.length})`, { kind: 'length' });
        value.elements.forEach((element, index) => {
          const elementPointer = `${pointer}/elements/${index}`;
          if (isObject(element) && element.type === 'image') this.element(element, elementPointer, ['image'], actionIds);
          else this.textObject(element, elementPointer, 'context element');
        });
        break;
      }
      case 'actions': {
        if (!Array.isArray(value.elements) || value.elements.length === 0) {
          this.add(`${pointer}/elements`, 'actions needs 1 or more elements');
          break;
        }
        if (value.elements.length > LIMITS.actionsElements)
          this.add(`${pointer}/elements`, `must have at most ${LIMITS.actionsElements} elements (got ${value.elements.length})`, { kind: 'length' });
        value.elements.forEach((element, index) => this.element(element, `${pointer}/elements/${index}`, INTERACTIVE, actionIds));
        break;
      }
      case 'image':
        if (value.image_url === undefined && value.slack_file === undefined) this.add(pointer, 'image block needs image_url or slack_file');
        this.optionalString(value.image_url, LIMITS.url, `${pointer}/image_url`, 'image_url');
        this.requiredString(value.alt_text, LIMITS.altText, `${pointer}/alt_text`, 'alt_text');
        this.textObject(value.title, `${pointer}/title`, 'image title', { plainOnly: true, max: LIMITS.imageTitle, required: false });
        break;
      case 'input':
        this.textObject(value.label, `${pointer}/label`, 'input label', { plainOnly: true, max: LIMITS.label });
        this.textObject(value.hint, `${pointer}/hint`, 'input hint', { plainOnly: true, max: LIMITS.hint, required: false });
        if (value.element === undefined) this.add(`${pointer}/element`, 'input needs an element');
        else this.element(value.element, `${pointer}/element`, INPUT_ELEMENTS, actionIds);
        break;
      case 'markdown':
        this.requiredString(value.text, LIMITS.markdownBlock, `${pointer}/text`, 'markdown text');
        if (typeof value.text === 'string') this.scan(value.text, `${pointer}/text`);
        break;
      default:
        break;
    }
  }

  blocks(value: unknown, pointer: string, surface: Surface): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) return this.add(pointer, 'blocks must be a JSON array', { kind: 'format' });
    const limit = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
    if (value.length > limit)
      this.add(pointer, `must be less than ${limit + 1} items (got ${value.length}; ${surface === 'message' ? 'a message' : 'a view'} allows ${limit})`, {
        kind: 'length',
      });
    const blockIds = new Set<string>();
    value.forEach((block, index) => this.block(block, `${pointer}/${index}`, blockIds));
  }
}

/** Message arguments as chat.postMessage / chat.update / chat.postEphemeral / a response_url get them. */
export function checkMessage(
  args: Record<string, unknown>,
  options: RuleOptions & { requireContent?: boolean } = {},
): Problem[] {
  const walker = new Walker(options);
  const { text, blocks, attachments } = args;
  const requireContent = options.requireContent ?? true;
  if (text !== undefined && typeof text !== 'string') walker.add('/text', 'text must be a string');
  const hasText = typeof text === 'string' && text.length > 0;
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  if (requireContent && !hasText && !hasBlocks && !hasAttachments) walker.add('/text', 'no_text: text, blocks or attachments is required');
  if (typeof text === 'string') {
    if (charLength(text) > LIMITS.messageTextHard)
      walker.add('/text', `msg_too_long: text must be at most ${LIMITS.messageTextHard} characters (got ${charLength(text)})`, { kind: 'length' });
    else if (charLength(text) > LIMITS.messageTextSoft)
      walker.add('/text', `text is ${charLength(text)} characters: keep under ${LIMITS.messageTextSoft}`, { soft: true, kind: 'length' });
    if (args.mrkdwn !== false && args.mrkdwn !== 'false') walker.scan(text, '/text');
  }
  if (hasBlocks && !hasText) walker.add('/text', 'blocks without a text fallback (notifications and screen readers need text)', { soft: true });
  walker.blocks(blocks, '/blocks', 'message');
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) walker.add('/attachments', 'attachments must be a JSON array', { kind: 'format' });
    else
      attachments.forEach((attachment, index) => {
        const pointer = `/attachments/${index}`;
        if (!isObject(attachment)) return walker.add(pointer, 'attachment must be an object');
        walker.blocks(attachment.blocks, `${pointer}/blocks`, 'message');
        for (const key of ['text', 'pretext', 'fallback'] as const)
          if (typeof attachment[key] === 'string') walker.scan(attachment[key] as string, `${pointer}/${key}`);
        if (Array.isArray(attachment.fields))
          attachment.fields.forEach((field: unknown, fieldIndex: number) => {
            if (isObject(field) && typeof field.value === 'string') walker.scan(field.value, `${pointer}/fields/${fieldIndex}/value`);
          });
      });
  }
  return walker.problems;
}

/** A view as views.open / views.push / views.update (modal) or views.publish (home) get it. */
export function checkView(view: unknown, surface: 'modal' | 'home', options: RuleOptions = {}): Problem[] {
  const walker = new Walker(options);
  if (!isObject(view)) {
    walker.add('/view', 'view must be a JSON object', { kind: 'format' });
    return walker.problems;
  }
  if (view.type !== surface) walker.add('/view/type', `view type must be ${JSON.stringify(surface)} here (got ${JSON.stringify(view.type)})`);
  if (surface === 'modal') {
    walker.textObject(view.title, '/view/title', 'modal title', { plainOnly: true, max: LIMITS.modalTitle });
    walker.textObject(view.submit, '/view/submit', 'modal submit', { plainOnly: true, max: LIMITS.modalButton, required: false });
    walker.textObject(view.close, '/view/close', 'modal close', { plainOnly: true, max: LIMITS.modalButton, required: false });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === 'input');
    if (hasInput && view.submit === undefined) walker.add('/view/submit', 'a modal with input blocks needs submit');
  }
  if (!Array.isArray(view.blocks)) walker.add('/view/blocks', 'view needs a blocks array');
  else walker.blocks(view.blocks, '/view/blocks', surface);
  walker.optionalString(view.private_metadata, LIMITS.privateMetadata, '/view/private_metadata', 'private_metadata');
  walker.optionalString(view.callback_id, LIMITS.callbackId, '/view/callback_id', 'callback_id');
  walker.optionalString(view.external_id, LIMITS.externalId, '/view/external_id', 'external_id');
  return walker.problems;
}

/** Slack's way of explaining a refusal: `[ERROR] why [json-pointer:/where]`. */
export const problemMessage = (problem: Problem): string => `[ERROR] ${problem.message} [json-pointer:${problem.pointer}]`;
