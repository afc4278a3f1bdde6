/**
 * Block Kit limits (Slack refuses a payload over any of them with `invalid_blocks`), and helpers
 * to cap lists visibly ("…and N more") instead of failing.
 */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  /** Modal `title`, `submit`, `close`. */
  modalTitle: 24,
  modalButton: 24,
  buttonText: 75,
  actionId: 255,
  blockId: 255,
  callbackId: 255,
  buttonValue: 2000,
  selectOptions: 100,
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
  /** Slack's hard cap is 40,000; notifications and screen readers want it short: keep under 4000. */
  messageText: 3000,
} as const;

/** The first `max` items, and how many were left out. */
export function capList<T>(items: readonly T[], max: number): { shown: T[]; hidden: number } {
  const shown = items.slice(0, Math.max(0, max));
  return { shown, hidden: items.length - shown.length };
}

/** "…and 3 more", "…and 3 more integrations". */
export function andMore(hidden: number, noun?: string): string {
  return `…and ${new Intl.NumberFormat('en-US').format(hidden)} more${noun ? ` ${noun}` : ''}`;
}
