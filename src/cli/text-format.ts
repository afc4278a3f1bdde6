import Table from 'cli-table3';
import type { ItemsPage, ItemsPurge, RecordErrorRow } from '../db/executions.repository.js';
import type { ItemDetail } from '../services/executions.service.js';
import type { ExecutionRecord } from '../sync/ports.js';
import { CREDENTIALS_WAY_OUT, itemIssueHint } from './hints.js';

export const formatTime = (date: Date | null): string => (date ? `${date.toISOString().slice(0, 19).replace('T', ' ')}Z` : '—');

export const formatDuration = (ms: number | null): string =>
  ms === null ? '—' : ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;

export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  t.push(...rows.map((row) => row.map(String)));
  return t.toString();
}

const countsLine = (e: ExecutionRecord): string =>
  `success ${e.successCount} · failed ${e.failedCount} · skipped ${e.skippedCount}`;

/** Where the cursor went: an advance only when the run moved it (completed, not a dry run). */
function cursorLine(e: ExecutionRecord): string {
  if (!e.startedAt) return e.status === 'queued' ? '— (not started yet)' : '— (never started)';
  const before = e.cursorBefore ?? '(empty: full fetch)';
  if (e.status === 'queued' || e.status === 'running') return `${before} → …`;
  if (e.cursorAfter !== e.cursorBefore) return `${before} → ${e.cursorAfter ?? '(empty)'}`;
  const why = e.dryRun ? 'dry run' : e.status === 'success' || e.status === 'partial' ? 'nothing newer' : `run ${e.status}`;
  return `${before} (unchanged: ${why})`;
}

/** The execution summary a person reads after a sync. */
export function formatExecution(e: ExecutionRecord): string {
  return formatExecutionWithItems(e, null);
}

/** `tether execution`: the execution, and whether retention purged its items (then no items hint). */
export function formatExecutionWithItems(e: ExecutionRecord, purged: ItemsPurge | null): string {
  const lines = [
    `Execution #${e.id}  ${e.integrationKey} · ${e.domainType} · ${e.trigger}${e.dryRun ? ' · DRY RUN (nothing saved)' : ''}`,
    `  Status     ${e.status.toUpperCase()}`,
    `  Started    ${formatTime(e.startedAt)}   duration ${formatDuration(e.durationMs)}`,
    `  Fetched    ${e.recordsFetched} record${e.recordsFetched === 1 ? '' : 's'}${e.carriedOver ? ` + ${e.carriedOver} carried over (kept problem records, processed again)` : ''}   ${countsLine(e)}`,
    `  Cursor     ${cursorLine(e)}`,
  ];
  if (e.error) lines.push(`  Error      [${e.error.category}] ${e.error.message}`, `             ${e.error.hint}`);
  if (e.error?.category === 'credentials') lines.push(`             ${CREDENTIALS_WAY_OUT}`);
  if ((e.status === 'success' || e.status === 'partial') && e.trigger !== 'retry' && e.recordsFetched === 0 && e.carriedOver === 0) {
    lines.push(`  Note       ${itemIssueHint('no_records')}`);
  }
  const analysis = e.errorAnalysis;
  const values = (list: { value: string; count: number }[]) =>
    list.slice(0, 10).map((v) => `${v.value} (${v.count})`).join(', ') + (list.length > 10 ? `, …and ${list.length - 10} more` : '');
  if (analysis?.unmappedSkus.length) {
    lines.push(`  Unmapped SKUs      ${values(analysis.unmappedSkus)}`);
    lines.push(`                     → ${itemIssueHint('unmapped_sku')}`);
  }
  if (analysis?.unmappedChannels.length) {
    lines.push(`  Unmapped channels  ${values(analysis.unmappedChannels)}`);
    lines.push(`                     → ${itemIssueHint('unmapped_channel')}`);
  }
  if (analysis?.topErrors.length) {
    lines.push('  Top errors');
    for (const error of analysis.topErrors.slice(0, 5)) lines.push(`    ${String(error.count).padStart(6)}  ${error.message}`);
    if (analysis.topErrors.length > 5) lines.push(`            …and ${analysis.topErrors.length - 5} more (--json lists up to 50)`);
  }
  if (purged) lines.push(`  Items      purged after ${purged.afterDays} days (on ${formatTime(purged.at)}); the counts and error analysis above are kept`);
  else if (e.failedCount > 0) lines.push(`  Next       tether items ${e.id} --status failed,partial_mapped`);
  return lines.join('\n');
}

export function formatExecutionList(executions: ExecutionRecord[]): string {
  if (!executions.length) return 'No executions yet.';
  return table(
    ['id', 'status', 'domain type', 'trigger', 'started at', 'duration', 'fetched', 'success', 'failed', 'skipped'],
    executions.map((e) => [
      e.id,
      e.status + (e.dryRun ? ' (dry run)' : ''),
      e.domainType,
      e.trigger,
      formatTime(e.startedAt),
      formatDuration(e.durationMs),
      e.recordsFetched,
      e.successCount,
      e.failedCount,
      e.skippedCount,
    ]),
  );
}

const clip = (text: string | null, max: number): string => (!text ? '' : text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function formatItemsPage(page: ItemsPage, nextCommand: (cursor: string) => string): string {
  if (page.purged) {
    return `The items of this execution were purged after ${page.purged.afterDays} days (on ${formatTime(page.purged.at)}); its counts and error analysis are kept.`;
  }
  if (page.searchedUpTo && page.nextCursor) {
    const searched = `Searched the items up to #${page.searchedUpTo.itemId} (${Math.min(99, Math.floor(page.searchedUpTo.fraction * 100))} % of the execution)`;
    const found = page.items.length ? `${formatItemsTable(page)}\n${searched}; no more matches there.` : `No matches so far. ${searched}.`;
    return `${found}\nContinue the search: ${nextCommand(page.nextCursor)}`;
  }
  if (!page.items.length) return 'No items match.';
  const body = formatItemsTable(page);
  return page.nextCursor ? `${body}\nNext page: ${nextCommand(page.nextCursor)}` : `${body}\n(last page)`;
}

function formatItemsTable(page: ItemsPage): string {
  return table(
    ['id', 'status', 'external id', 'records', 'error', 'fetched at'],
    page.items.map((item) => [
      item.id,
      item.status,
      clip(item.externalId, 40),
      item.aggregate ? item.recordCount : '',
      clip(item.errorMessage, 70),
      formatTime(item.fetchedAt),
    ]),
  );
}

export function formatRecordErrors(errors: RecordErrorRow[]): string {
  if (!errors.length) return 'No record errors.';
  return table(['record', 'error'], errors.map((error) => [clip(error.recordRef, 50), clip(error.message, 90)]));
}

export function formatItem({ item, recordErrors, nextErrorCursor }: ItemDetail): string {
  return [
    `Item #${item.id} of execution #${item.executionId}: ${item.externalId} · ${item.status}` +
      (item.aggregate ? ` · aggregate of ${item.recordCount} records` : '') +
      (item.carriedOver ? ' · carried over from an earlier run' : ''),
    item.errorMessage ? `  ${item.errorMessage}` : '',
    item.aggregate ? formatRecordErrors(recordErrors) : '',
    nextErrorCursor !== null ? `Next page: tether item ${item.id} --after ${nextErrorCursor}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}
