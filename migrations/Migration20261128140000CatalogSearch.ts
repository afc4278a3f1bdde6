import { Migration } from '@mikro-orm/migrations';

/**
 * Searching the Tether SKUs (the mapping form's `external_select`, did-you-mean on a mistyped
 * code): C-collated btrees on lower(code) and lower(name) for the exact and prefix tiers (ordered,
 * stop at the limit), trigram GINs for "contains" and similarity. pg_trgm is created by
 * Migration20261127152952ProblemSearch. Channels are a few dozen rows: no index needed.
 */
export class Migration20261128140000CatalogSearch extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "sku_code_lower_index" on "sku" ((lower("code") collate "C"));`);
    this.addSql(`create index "sku_name_lower_index" on "sku" ((lower("name") collate "C"));`);
    this.addSql(`create index "sku_code_trgm_index" on "sku" using gin (lower("code") gin_trgm_ops);`);
    this.addSql(`create index "sku_name_trgm_index" on "sku" using gin (lower("name") gin_trgm_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sku_code_lower_index";`);
    this.addSql(`drop index "sku_name_lower_index";`);
    this.addSql(`drop index "sku_code_trgm_index";`);
    this.addSql(`drop index "sku_name_trgm_index";`);
  }

}
