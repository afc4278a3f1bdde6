import { Migration } from '@mikro-orm/migrations';
import { getCreateIndexesSQL, getCreateTableSQL, getDropTableSQL, getUpdateTimestampTriggerSQL } from '@agendajs/postgres-backend';

/** Agenda's job table is created here, not by the workers: two workers starting together raced on it. */
const AGENDA_TABLE = 'agenda_jobs';

export class Migration20261127142331Scheduler extends Migration {

  override async up(): Promise<void> {
    this.addSql(getCreateTableSQL(AGENDA_TABLE));
    for (const sql of getCreateIndexesSQL(AGENDA_TABLE)) this.addSql(sql);
    this.addSql(getUpdateTimestampTriggerSQL(AGENDA_TABLE));
    this.addSql(`create table "worker_heartbeat" ("id" varchar(128) not null, "host" varchar(255) not null, "pid" int not null, "started_at" timestamptz not null, "last_seen_at" timestamptz not null, "stopped_at" timestamptz null, constraint "worker_heartbeat_pkey" primary key ("id"));`);
    this.addSql(`create index "worker_heartbeat_last_seen_at_index" on "worker_heartbeat" ("last_seen_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(getDropTableSQL(AGENDA_TABLE));
    this.addSql(`drop table if exists "worker_heartbeat" cascade;`);
  }

}
