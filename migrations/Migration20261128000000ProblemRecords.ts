import { Migration } from '@mikro-orm/migrations';

/**
 * Kept problem records: the raw record of every failed / partly mapped record, until it succeeds,
 * a newer version arrives, or the state is reset — so later runs re-process it with new mappings.
 */
export class Migration20261128000000ProblemRecords extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "problem_record" ("id" bigserial primary key, "integration_id" int not null, "domain_type" varchar(64) not null, "external_id" text not null, "raw" jsonb not null, "record_ref" text not null, "error_message" text not null, "first_execution_id" int not null, "seen_execution_id" int not null, "failures" int not null default 1, "first_failed_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`);
    this.addSql(`alter table "problem_record" add constraint "problem_record_integration_id_domain_type_external_id_unique" unique ("integration_id", "domain_type", "external_id");`);
    this.addSql(`create index "problem_record_integration_id_domain_type_id_index" on "problem_record" ("integration_id", "domain_type", "id");`);
    this.addSql(`alter table "problem_record" add constraint "problem_record_integration_id_foreign" foreign key ("integration_id") references "integration" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sync_execution" add column "carried_over_count" int not null default 0;`);
    this.addSql(`alter table "sync_item" add column "carried_over" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "problem_record" cascade;`);
    this.addSql(`alter table "sync_execution" drop column "carried_over_count";`);
    this.addSql(`alter table "sync_item" drop column "carried_over";`);
  }

}
