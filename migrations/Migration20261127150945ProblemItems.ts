import { Migration } from '@mikro-orm/migrations';

export class Migration20261127150945ProblemItems extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "sync_item_problems_index" on "sync_item" ("execution_id", "id") where "error_message" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sync_item_problems_index";`);
  }

}
