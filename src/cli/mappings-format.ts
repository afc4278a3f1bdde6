import { kindWord } from '../domain/mappings.js';
import type { MappingChange, MappingRemoved, MappingsPage, UnmappedPage } from '../services/catalog.service.js';
import { formatTime, table } from './text-format.js';

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function formatMappingsPage(page: MappingsPage, nextCommand: (cursor: string) => string): string {
  if (!page.mappings.length) return `No mappings for ${page.integrationKey}.`;
  const body = table(
    ['kind', 'external id', 'tether code', 'name', 'created at'],
    page.mappings.map((row) => [row.kind, clip(row.externalId, 40), clip(row.code, 40), clip(row.name, 40), formatTime(row.createdAt)]),
  );
  return page.nextCursor ? `${body}\nNext page: ${nextCommand(page.nextCursor)}` : body;
}

export function formatMappingChange(change: MappingChange): string {
  const what = `${kindWord(change.kind)} "${change.externalId}" of ${change.integrationKey}`;
  const target = `${change.code} (${change.name})`;
  if (change.outcome === 'unchanged') return `${what} already maps to ${target}: nothing changed.`;
  return [
    `Mapped ${what} to ${target}${change.outcome === 'changed' ? `, was ${change.previousCode}` : ''}.`,
    `Next: tether sync ${change.integrationKey} re-processes the kept problem records with it.`,
  ].join('\n');
}

export function formatMappingRemoved(removed: MappingRemoved): string {
  return (
    `Removed the ${kindWord(removed.kind)} mapping "${removed.externalId}" → ${removed.code} of ${removed.integrationKey}. ` +
    `Saved data stays as it is; records with "${removed.externalId}" synced from now on are unmapped.`
  );
}

const money = (orderValue: { currency: string; amount: string }[]): string =>
  orderValue.map((value) => `${value.currency} ${value.amount}`).join(', ') || '—';

/** One kind's blocking list: what each unmapped value holds back, most first, and how to map it. */
export function formatUnmappedPage(page: UnmappedPage, nextCommand: (cursor: string) => string): string {
  const plural = page.kind === 'sku' ? 'SKUs' : 'channels';
  if (!page.total) return `No unmapped ${plural}: no kept problem record of ${page.integrationKey} names one.`;
  const heading = `Unmapped ${plural} of ${page.integrationKey}: ${page.total}, most blocking first (kept problem records they hold back)`;
  const rows = page.values.map((value) =>
    page.kind === 'sku'
      ? [clip(value.value, 40), value.heldBack, value.orders, value.units, clip(money(value.orderValue), 60), value.inventoryRows]
      : [clip(value.value, 40), value.orders, value.units, clip(money(value.orderValue), 60)],
  );
  const head = page.kind === 'sku' ? ['sku', 'held back', 'orders', 'units', 'order value', 'inventory rows'] : ['channel', 'orders', 'units', 'order value'];
  const lines = [heading, page.values.length ? table(head, rows) : '(no more on this page)'];
  if (page.nextCursor) lines.push(`Next page: ${nextCommand(page.nextCursor)}`);
  lines.push(`Map one: tether mappings add ${page.integrationKey} ${page.kind} <external_id> <code>, then tether sync ${page.integrationKey}`);
  return lines.join('\n');
}
