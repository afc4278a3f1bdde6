import { Migration } from '@mikro-orm/migrations';

/**
 * Operations: /metrics and /healthz read the queued and running executions on every scrape, so
 * they get a small partial index instead of a scan of the whole execution history.
 */
export class Migration20261128200000Operations extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "sync_execution_active_index" on "sync_execution" ("status", "queued_at") where "status" in ('queued', 'running');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "sync_execution_active_index";`);
  }

}
