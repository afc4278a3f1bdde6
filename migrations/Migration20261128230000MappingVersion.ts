import { Migration } from '@mikro-orm/migrations';

/**
 * The mapping version (src/db/mapping-cache.ts): statement-level triggers on the mapping tables
 * and the SKU catalog bump one counter in the same transaction as the change, so a worker that
 * sees the same version as when it cached its mappings knows they are still current.
 */
export class Migration20261128230000MappingVersion extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "mapping_version" ("id" int not null, "version" bigint not null default 0, constraint "mapping_version_pkey" primary key ("id"));`);
    this.addSql(`insert into "mapping_version" ("id", "version") values (1, 0);`);
    this.addSql(`create function "bump_mapping_version"() returns trigger language plpgsql as $$
      begin
        update "mapping_version" set "version" = "version" + 1 where "id" = 1;
        return null;
      end $$;`);
    for (const table of ['sku', 'sku_external_id', 'channel_external_id']) {
      this.addSql(`create trigger "${table}_bumps_mapping_version" after insert or update or delete or truncate on "${table}"
        for each statement execute function "bump_mapping_version"();`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['sku', 'sku_external_id', 'channel_external_id']) this.addSql(`drop trigger if exists "${table}_bumps_mapping_version" on "${table}";`);
    this.addSql(`drop function if exists "bump_mapping_version"();`);
    this.addSql(`drop table if exists "mapping_version" cascade;`);
  }

}
