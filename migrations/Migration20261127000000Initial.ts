import { Migration } from '@mikro-orm/migrations';

export class Migration20261127000000Initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_event" ("id" serial primary key, "at" timestamptz not null default now(), "actor" varchar(255) not null, "action" varchar(64) not null, "integration_key" varchar(64) null, "details" jsonb not null default '{}');`);
    this.addSql(`create index "audit_event_at_index" on "audit_event" ("at");`);

    this.addSql(`create table "channel" ("id" serial primary key, "code" varchar(255) not null, "name" varchar(255) not null);`);
    this.addSql(`alter table "channel" add constraint "channel_code_unique" unique ("code");`);

    this.addSql(`create table "integration" ("id" serial primary key, "key" varchar(64) not null, "name" varchar(255) not null, "connector" varchar(64) not null, "domains" text[] not null, "config" jsonb not null default '{}', "credentials_sealed" text null, "cron" varchar(255) null, "timezone" varchar(255) not null default 'UTC', "enabled" boolean not null default true, "dry_run" boolean not null default false, "match_sku_codes" boolean not null default false, "slack_channel" varchar(255) null, "notify" jsonb not null default '{}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now());`);
    this.addSql(`alter table "integration" add constraint "integration_key_unique" unique ("key");`);

    this.addSql(`create table "channel_external_id" ("id" serial primary key, "integration_id" int not null, "external_id" varchar(255) not null, "channel_id" int not null, "created_at" timestamptz not null default now());`);
    this.addSql(`alter table "channel_external_id" add constraint "channel_external_id_integration_id_external_id_unique" unique ("integration_id", "external_id");`);

    this.addSql(`create table "sales_order" ("id" bigserial primary key, "integration_id" int not null, "external_id" text not null, "channel_id" int null, "status" varchar(64) not null, "currency" varchar(3) not null, "ordered_at" timestamptz not null, "source_updated_at" timestamptz not null, "content_hash" varchar(40) not null, "complete" boolean not null, "synced_at" timestamptz not null);`);
    this.addSql(`alter table "sales_order" add constraint "sales_order_integration_id_external_id_unique" unique ("integration_id", "external_id");`);

    this.addSql(`create table "sku" ("id" serial primary key, "code" varchar(255) not null, "name" varchar(255) not null);`);
    this.addSql(`alter table "sku" add constraint "sku_code_unique" unique ("code");`);

    this.addSql(`create table "sales_order_line" ("id" bigserial primary key, "order_id" bigint not null, "line_no" int not null, "external_sku" text not null, "sku_id" int null, "quantity" int not null, "unit_price" numeric(14,4) not null);`);
    this.addSql(`alter table "sales_order_line" add constraint "sales_order_line_order_id_line_no_unique" unique ("order_id", "line_no");`);

    this.addSql(`create table "inventory_level" ("id" bigserial primary key, "integration_id" int not null, "external_id" text not null, "warehouse" varchar(255) not null, "sku_id" int not null, "on_hand" int not null, "available" int not null, "source_updated_at" timestamptz null, "content_hash" varchar(40) not null, "synced_at" timestamptz not null);`);
    this.addSql(`alter table "inventory_level" add constraint "inventory_level_integration_id_external_id_unique" unique ("integration_id", "external_id");`);

    this.addSql(`create table "sku_external_id" ("id" serial primary key, "integration_id" int not null, "external_id" varchar(255) not null, "sku_id" int not null, "created_at" timestamptz not null default now());`);
    this.addSql(`alter table "sku_external_id" add constraint "sku_external_id_integration_id_external_id_unique" unique ("integration_id", "external_id");`);

    this.addSql(`create table "sync_execution" ("id" serial primary key, "integration_id" int not null, "domain_type" varchar(64) not null, "status" text check ("status" in ('queued', 'running', 'success', 'partial', 'failed', 'interrupted', 'cancelled')) not null, "trigger" text check ("trigger" in ('scheduled', 'manual', 'full_resync', 'retry')) not null, "dry_run" boolean not null, "triggered_by" varchar(255) null, "queued_at" timestamptz not null default now(), "started_at" timestamptz null, "finished_at" timestamptz null, "duration_ms" int null, "records_fetched" int not null default 0, "success_count" int not null default 0, "failed_count" int not null default 0, "skipped_count" int not null default 0, "error_category" varchar(32) null, "error_message" text null, "error_analysis" jsonb null, "cursor_before" text null, "cursor_after" text null, "cancel_requested_at" timestamptz null, "cancel_requested_by" varchar(255) null, "runner" varchar(255) null);`);
    this.addSql(`create index "sync_execution_integration_id_started_at_index" on "sync_execution" ("integration_id", "started_at");`);
    this.addSql(`create index "sync_execution_integration_id_domain_type_status_index" on "sync_execution" ("integration_id", "domain_type", "status");`);

    this.addSql(`create table "sync_item" ("id" bigserial primary key, "execution_id" int not null, "domain_type" varchar(64) not null, "external_id" text not null, "status" text check ("status" in ('processing', 'success', 'failed', 'skipped', 'mapped', 'partial_mapped')) not null, "error_message" text null, "unmapped_skus" text[] null, "unmapped_channel" text null, "aggregate" boolean not null default false, "record_count" int not null default 1, "fetched_at" timestamptz not null);`);

    this.addSql(`create table "sync_item_error" ("id" bigserial primary key, "item_id" bigint not null, "execution_id" int not null, "record_ref" text not null, "message" text not null, "unmapped_sku" text null);`);
    this.addSql(`create index "sync_item_error_item_id_id_index" on "sync_item_error" ("item_id", "id");`);
    this.addSql(`create index "sync_item_error_execution_id_index" on "sync_item_error" ("execution_id");`);

    this.addSql(`create table "sync_state" ("id" serial primary key, "integration_id" int not null, "domain_type" varchar(64) not null, "cursor" text null, "reset_at" timestamptz null, "reset_by" varchar(255) null, "updated_at" timestamptz not null default now());`);
    this.addSql(`alter table "sync_state" add constraint "sync_state_integration_id_domain_type_unique" unique ("integration_id", "domain_type");`);

    this.addSql(`alter table "channel_external_id" add constraint "channel_external_id_integration_id_foreign" foreign key ("integration_id") references "integration" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "channel_external_id" add constraint "channel_external_id_channel_id_foreign" foreign key ("channel_id") references "channel" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sales_order" add constraint "sales_order_integration_id_foreign" foreign key ("integration_id") references "integration" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sales_order" add constraint "sales_order_channel_id_foreign" foreign key ("channel_id") references "channel" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "sales_order_line" add constraint "sales_order_line_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sales_order_line" add constraint "sales_order_line_sku_id_foreign" foreign key ("sku_id") references "sku" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "inventory_level" add constraint "inventory_level_integration_id_foreign" foreign key ("integration_id") references "integration" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "inventory_level" add constraint "inventory_level_sku_id_foreign" foreign key ("sku_id") references "sku" ("id") on update cascade;`);

    this.addSql(`alter table "sku_external_id" add constraint "sku_external_id_integration_id_foreign" foreign key ("integration_id") references "integration" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sku_external_id" add constraint "sku_external_id_sku_id_foreign" foreign key ("sku_id") references "sku" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sync_execution" add constraint "sync_execution_integration_id_foreign" foreign key ("integration_id") references "integration" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sync_item" add constraint "sync_item_execution_id_foreign" foreign key ("execution_id") references "sync_execution" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sync_item_error" add constraint "sync_item_error_item_id_foreign" foreign key ("item_id") references "sync_item" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sync_item_error" add constraint "sync_item_error_execution_id_foreign" foreign key ("execution_id") references "sync_execution" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sync_state" add constraint "sync_state_integration_id_foreign" foreign key ("integration_id") references "integration" ("id") on update cascade on delete cascade;`);

    // Written by hand: indexes for the product's queries that the entity metadata does not express.
    // Items of an execution [by status] in id order (keyset paging, error analysis).
    this.addSql(`create index "sync_item_execution_id_id_index" on "sync_item" ("execution_id", "id");`);
    this.addSql(`create index "sync_item_execution_id_status_id_index" on "sync_item" ("execution_id", "status", "id");`);
    // Newest executions first, per integration and domain type.
    this.addSql(`create index "sync_execution_integration_domain_id_index" on "sync_execution" ("integration_id", "domain_type", "id" desc);`);
    // Belt and braces for the advisory lock: never two running executions of one integration x domain.
    this.addSql(`create unique index "sync_execution_one_running" on "sync_execution" ("integration_id", "domain_type") where "status" = 'running';`);
    this.addSql(`create index "sales_order_line_sku_id_index" on "sales_order_line" ("sku_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "channel_external_id" drop constraint "channel_external_id_channel_id_foreign";`);

    this.addSql(`alter table "sales_order" drop constraint "sales_order_channel_id_foreign";`);

    this.addSql(`alter table "channel_external_id" drop constraint "channel_external_id_integration_id_foreign";`);

    this.addSql(`alter table "sales_order" drop constraint "sales_order_integration_id_foreign";`);

    this.addSql(`alter table "inventory_level" drop constraint "inventory_level_integration_id_foreign";`);

    this.addSql(`alter table "sku_external_id" drop constraint "sku_external_id_integration_id_foreign";`);

    this.addSql(`alter table "sync_execution" drop constraint "sync_execution_integration_id_foreign";`);

    this.addSql(`alter table "sync_state" drop constraint "sync_state_integration_id_foreign";`);

    this.addSql(`alter table "sales_order_line" drop constraint "sales_order_line_order_id_foreign";`);

    this.addSql(`alter table "sales_order_line" drop constraint "sales_order_line_sku_id_foreign";`);

    this.addSql(`alter table "inventory_level" drop constraint "inventory_level_sku_id_foreign";`);

    this.addSql(`alter table "sku_external_id" drop constraint "sku_external_id_sku_id_foreign";`);

    this.addSql(`alter table "sync_item" drop constraint "sync_item_execution_id_foreign";`);

    this.addSql(`alter table "sync_item_error" drop constraint "sync_item_error_execution_id_foreign";`);

    this.addSql(`alter table "sync_item_error" drop constraint "sync_item_error_item_id_foreign";`);

    this.addSql(`drop table if exists "audit_event" cascade;`);

    this.addSql(`drop table if exists "channel" cascade;`);

    this.addSql(`drop table if exists "integration" cascade;`);

    this.addSql(`drop table if exists "channel_external_id" cascade;`);

    this.addSql(`drop table if exists "sales_order" cascade;`);

    this.addSql(`drop table if exists "sku" cascade;`);

    this.addSql(`drop table if exists "sales_order_line" cascade;`);

    this.addSql(`drop table if exists "inventory_level" cascade;`);

    this.addSql(`drop table if exists "sku_external_id" cascade;`);

    this.addSql(`drop table if exists "sync_execution" cascade;`);

    this.addSql(`drop table if exists "sync_item" cascade;`);

    this.addSql(`drop table if exists "sync_item_error" cascade;`);

    this.addSql(`drop table if exists "sync_state" cascade;`);
  }

}
