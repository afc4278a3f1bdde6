import { Migration } from '@mikro-orm/migrations';

export class Migration20261127152952ProblemSearch extends Migration {

  override async up(): Promise<void> {
    // pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create index "sync_item_problem_search" on "sync_item" using gin (("external_id" || ' ' || "error_message") gin_trgm_ops) where "error_message" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sync_item_problem_search";`);
  }

}
