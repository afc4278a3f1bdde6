import { Migration } from '@mikro-orm/migrations';

/** One alert per integration × domain type × problem while it lasts; mutes per integration. */
export class Migration20261128150000HealthAlerts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "health_alert" ("id" bigserial primary key, "integration_id" int not null, "domain_type" varchar(64) not null, "problem_key" varchar(64) not null, "category" varchar(64) not null, "reason" text not null, "fix" text not null, "occurrences" int not null default 1, "first_execution_id" int null, "last_execution_id" int null, "opened_at" timestamptz not null default now(), "last_seen_at" timestamptz not null default now(), "resolved_at" timestamptz null, "slack_message_id" bigint null);`);
    this.addSql(`alter table "health_alert" add constraint "health_alert_integration_id_foreign" foreign key ("integration_id") references "integration" ("id") on update cascade on delete cascade;`);
    this.addSql(`create unique index "health_alert_open_unique" on "health_alert" ("integration_id", "domain_type", "problem_key") where "resolved_at" is null;`);
    this.addSql(`create index "health_alert_integration_id_opened_at_index" on "health_alert" ("integration_id", "opened_at");`);
    this.addSql(`create table "alert_mute" ("integration_id" int not null, "until" timestamptz null, "until_resolved" boolean not null default false, "muted_by" varchar(255) not null, "muted_at" timestamptz not null default now(), constraint "alert_mute_pkey" primary key ("integration_id"));`);
    this.addSql(`alter table "alert_mute" add constraint "alert_mute_integration_id_foreign" foreign key ("integration_id") references "integration" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "health_alert" cascade;`);
    this.addSql(`drop table if exists "alert_mute" cascade;`);
  }

}
