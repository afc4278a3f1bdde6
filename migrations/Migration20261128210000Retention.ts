import { Migration } from '@mikro-orm/migrations';

/**
 * Item retention: an execution whose items were purged keeps its row, counts and error analysis,
 * and says when and after how many days its items went. The partial index lists the executions
 * whose items are still kept, by age, so the purge finds its work without reading every execution.
 */
export class Migration20261128210000Retention extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "sync_execution" add column "items_purged_at" timestamptz null, add column "items_purged_after_days" int null;`);
    this.addSql(`create index "sync_execution_items_kept_index" on "sync_execution" ((coalesce("finished_at", "started_at", "queued_at")), "id") where "items_purged_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sync_execution_items_kept_index";`);
    this.addSql(`alter table "sync_execution" drop column "items_purged_at", drop column "items_purged_after_days";`);
  }

}
