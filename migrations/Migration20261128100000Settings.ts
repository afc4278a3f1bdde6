import { Migration } from '@mikro-orm/migrations';

/** Facts about the database itself; first one: "created by a demo/test run with the dev key". */
export class Migration20261128100000Settings extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "setting" ("key" varchar(64) not null, "value" jsonb not null default '{}', "updated_at" timestamptz not null default now(), constraint "setting_pkey" primary key ("key"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "setting" cascade;`);
  }

}
