import { Migration } from '@mikro-orm/migrations';

/**
 * The Slack outbox. A row is one Slack message (a run's live message and summary, an unmapped
 * alert, a notice); it is written in the transaction that decides it, and bot processes deliver
 * it. `version` is the state wanted, `delivered_version` the state Slack shows.
 */
export class Migration20261128120000SlackMessages extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "integration" alter column "notify" drop default;`);
    this.addSql(`alter table "integration" alter column "notify" type varchar(16) using 'problems';`);
    this.addSql(`alter table "integration" alter column "notify" set default 'problems';`);
    this.addSql(`create table "slack_message" ("id" bigserial primary key, "kind" varchar(32) not null, "execution_id" int null, "integration_id" int null, "channel" varchar(255) not null, "thread_of_id" bigint null, "payload" jsonb not null default '{}', "version" int not null default 1, "delivered_version" int not null default 0, "final" boolean not null default false, "ts" varchar(32) null, "posted_channel" varchar(64) null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "last_edit_at" timestamptz null, "lease_owner" varchar(128) null, "lease_until" timestamptz null, "last_error" varchar(255) null, "last_error_at" timestamptz null, "gave_up" boolean not null default false, "created_at" timestamptz not null default now());`);
    this.addSql(`alter table "slack_message" add constraint "slack_message_execution_id_foreign" foreign key ("execution_id") references "sync_execution" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "slack_message" add constraint "slack_message_integration_id_foreign" foreign key ("integration_id") references "integration" ("id") on update cascade on delete cascade;`);
    this.addSql(`create unique index "slack_message_execution_kind_unique" on "slack_message" ("execution_id", "kind") where "execution_id" is not null;`);
    this.addSql(`create index "slack_message_due_index" on "slack_message" ("next_attempt_at") where "delivered_version" < "version" and not "gave_up";`);
    this.addSql(`create table "slack_home_viewer" ("user_id" varchar(32) not null, "opened_at" timestamptz not null, constraint "slack_home_viewer_pkey" primary key ("user_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "slack_message" cascade;`);
    this.addSql(`drop table if exists "slack_home_viewer" cascade;`);
  }

}
