/**
 * Small typed constructors for the Block Kit pieces we use, typed by @slack/types (so a wrong
 * shape fails to compile) and enforcing the limits in limits.ts on every text they take.
 *
 * Convention: a function taking `mrkdwn` text expects it already composed of escaped external
 * text (see escape.ts) and our own tokens; it only caps the length. Plain-text inputs are never
 * escaped (Slack shows plain_text literally), only truncated.
 */
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  ExternalSelect,
  HeaderBlock,
  InputBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  PlainTextOption,
  SectionBlock,
  SectionBlockAccessory,
  StaticSelect,
} from '@slack/types';
import { truncate, truncateMrkdwn } from './escape.js';
import { andMore, LIMITS } from './limits.js';

/** Plain text, cut to `max`; never empty (Slack refuses an empty text object). */
export function plainText(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: truncate(text.trim() ? text : '—', max), emoji: true };
}

export function mrkdwn(text: string, max: number = LIMITS.sectionText): MrkdwnElement {
  return { type: 'mrkdwn', text: truncateMrkdwn(text.trim() ? text : '—', max) };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plainText(text, LIMITS.headerText) };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function section(
  text: string | null,
  options: { fields?: string[]; accessory?: SectionBlockAccessory | null; blockId?: string } = {},
): SectionBlock {
  const block: SectionBlock = { type: 'section' };
  if (options.blockId) block.block_id = truncate(options.blockId, LIMITS.blockId);
  const fields = (options.fields ?? []).slice(0, LIMITS.sectionFields).map((field) => mrkdwn(field, LIMITS.fieldText));
  if (text !== null || !fields.length) block.text = mrkdwn(text ?? '—');
  if (fields.length) block.fields = fields;
  if (options.accessory) block.accessory = options.accessory;
  return block;
}

/** A context line of mrkdwn elements (at most 10, each capped). */
export function context(...elements: string[]): ContextBlock {
  return {
    type: 'context',
    elements: elements.slice(0, LIMITS.contextElements).map((text) => mrkdwn(text, LIMITS.contextText)),
  };
}

/**
 * A button; null when its value cannot fit (a value is an id or JSON that must arrive whole, so it
 * is never cut: the button is left out instead).
 */
export function button(options: {
  text: string;
  actionId: string;
  value?: string;
  style?: 'primary' | 'danger';
}): Button | null {
  if (options.value !== undefined && (options.value.length > LIMITS.buttonValue || options.value.length === 0)) return null;
  const element: Button = {
    type: 'button',
    text: plainText(options.text, LIMITS.buttonText),
    action_id: truncate(options.actionId, LIMITS.actionId),
  };
  if (options.value !== undefined) element.value = options.value;
  if (options.style) element.style = options.style;
  return element;
}

/** An actions block of the elements given (nulls dropped, at most 25); null when none is left. */
export function actions(blockId: string | undefined, elements: (ActionsBlock['elements'][number] | null | undefined)[]): ActionsBlock | null {
  const kept = elements.filter((element): element is ActionsBlock['elements'][number] => !!element).slice(0, LIMITS.actionsElements);
  if (!kept.length) return null;
  const block: ActionsBlock = { type: 'actions', elements: kept };
  if (blockId) block.block_id = truncate(blockId, LIMITS.blockId);
  return block;
}

/** A select option; null when its value cannot fit (values are never cut). */
export function option(text: string, value: string): PlainTextOption | null {
  if (!value || value.length > LIMITS.optionValue) return null;
  return { text: plainText(text, LIMITS.optionText), value };
}

export function staticSelect(options: {
  actionId: string;
  placeholder: string;
  options: (PlainTextOption | null)[];
  initialValue?: string | null;
}): StaticSelect {
  const kept = options.options.filter((o): o is PlainTextOption => o !== null).slice(0, LIMITS.selectOptions);
  const element: StaticSelect = {
    type: 'static_select',
    action_id: truncate(options.actionId, LIMITS.actionId),
    placeholder: plainText(options.placeholder, LIMITS.placeholder),
    options: kept,
  };
  const initial = kept.find((o) => o.value === options.initialValue);
  if (initial) element.initial_option = initial;
  return element;
}

/** A select whose options the app serves (options request / block_suggestion for `actionId`). */
export function externalSelect(options: { actionId: string; placeholder: string; minQueryLength?: number }): ExternalSelect {
  const element: ExternalSelect = {
    type: 'external_select',
    action_id: truncate(options.actionId, LIMITS.actionId),
    placeholder: plainText(options.placeholder, LIMITS.placeholder),
  };
  if (options.minQueryLength !== undefined) element.min_query_length = Math.max(0, Math.floor(options.minQueryLength));
  return element;
}

/** An input block: label and hint are plain text (shown literally, never escaped), cut to `labelMax` / Slack's hint limit. */
export function input(options: {
  blockId: string;
  label: string;
  element: InputBlock['element'];
  hint?: string | null;
  optional?: boolean;
  labelMax?: number;
}): InputBlock {
  const block: InputBlock = {
    type: 'input',
    block_id: truncate(options.blockId, LIMITS.blockId),
    label: plainText(options.label, Math.min(options.labelMax ?? LIMITS.inputLabel, LIMITS.inputLabel)),
    element: options.element,
  };
  if (options.hint) block.hint = plainText(options.hint, LIMITS.inputHint);
  if (options.optional) block.optional = true;
  return block;
}

/** JSON for a button value: null when it would not fit (the caller leaves the button out). */
export function jsonValue(value: unknown): string | null {
  const json = JSON.stringify(value);
  return json.length <= LIMITS.buttonValue ? json : null;
}

/**
 * private_metadata is serialised state: cutting it would corrupt it, so a state over Slack's limit
 * is a bug of its writer and fails loudly here rather than as invalid_arguments from Slack.
 */
export function checkMetadata(metadata: string): void {
  if (metadata.length > LIMITS.privateMetadata) {
    throw new RangeError(`private_metadata is ${metadata.length} characters; Slack takes at most ${LIMITS.privateMetadata}`);
  }
}

/** Drops the nulls of a list of optional blocks. */
export const compact = (blocks: (KnownBlock | null | undefined | false)[]): KnownBlock[] =>
  blocks.filter((block): block is KnownBlock => !!block);

/**
 * Packs lines into as few sections as the text limit allows, at most `maxBlocks` of them; lines
 * that do not fit are counted in a closing "…and N more" (`moreNoun` names them).
 * Each line is capped first so that one huge line cannot take a whole section.
 */
export function packLines(
  lines: string[],
  options: {
    maxBlocks: number;
    maxLineChars?: number;
    moreNoun?: string;
    heading?: string;
    /** Lines the caller left out before (a top-N cut): counted in "…and N more" too. */
    alsoHidden?: number;
  },
): SectionBlock[] {
  if (options.maxBlocks <= 0) return [];
  const reserve = 60; // room for "…and N more" in the last section
  const budget = LIMITS.sectionText - reserve;
  const maxLine = Math.min(options.maxLineChars ?? 1000, budget - 1);
  const sections: string[][] = [];
  let current: string[] = options.heading ? [truncateMrkdwn(options.heading, maxLine)] : [];
  let length = current.join('\n').length;
  let shown = 0;
  for (const raw of lines) {
    const line = truncateMrkdwn(raw, maxLine);
    const added = (current.length ? 1 : 0) + line.length;
    if (length + added > budget) {
      if (sections.length + 1 >= options.maxBlocks) break;
      sections.push(current);
      current = [];
      length = 0;
    }
    current.push(line);
    length += (current.length > 1 ? 1 : 0) + line.length;
    shown += 1;
  }
  const hidden = lines.length - shown + (options.alsoHidden ?? 0);
  if (hidden > 0) current.push(andMore(hidden, options.moreNoun));
  if (current.length) sections.push(current);
  return sections.map((sectionLines) => section(sectionLines.join('\n')));
}
