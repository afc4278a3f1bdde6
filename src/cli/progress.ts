import type { SyncObserver } from '../sync/ports.js';

/** A one-line progress display for a foreground sync on a terminal: pages, records, rate. */
export function progressObserver(show: (line: string | null) => void): SyncObserver {
  let started = 0;
  let shownAt = 0;
  let label = '';
  return {
    executionStarted(execution) {
      started = performance.now();
      label = `${execution.integrationKey} · ${execution.domainType}${execution.dryRun ? ' (dry run)' : ''}`;
      show(`${label}: starting…`);
    },
    pageCommitted(_executionId, page, progress) {
      // At most ten redraws a second: pages can commit far faster than a terminal is read.
      if (performance.now() - shownAt < 100) return;
      shownAt = performance.now();
      const seconds = Math.max((performance.now() - started) / 1000, 0.001);
      const records = progress.recordsFetched + progress.carriedOver;
      show(
        `${label}: page ${page} · ${records.toLocaleString('en-US')} records · ${progress.success.toLocaleString('en-US')} ok · ` +
          `${progress.failed.toLocaleString('en-US')} failed · ${progress.skipped.toLocaleString('en-US')} skipped · ` +
          `${Math.round(records / seconds).toLocaleString('en-US')} records/s`,
      );
    },
    executionFinished() {
      show(null);
    },
  };
}
