import { Migration } from '@mikro-orm/migrations';

/**
 * Searching the Tether SKUs (the mapping form's `external_select`, did-you-mean on a mistyped
 * code): btrees on lower(code) and lower(name) folded in the C collation (A–Z only, 3× cheaper
 * than a locale-aware lower(); C order also serves LIKE 'abc%') for the exact and prefix ranks,
 * walked in order and stopped at the limit; trigram GINs on the same expressions for "contains"
 * and similarity. pg_trgm is created by Migration20261127152952ProblemSearch. Channels are a few
 * dozen rows: no index needed. See src/db/catalog-search.ts.
 */
export class Migration20261128140000CatalogSearch extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "sku_code_lower_index" on "sku" (lower("code" collate "C"));`);
    this.addSql(`create index "sku_name_lower_index" on "sku" (lower("name" collate "C"));`);
    this.addSql(`create index "sku_code_trgm_index" on "sku" using gin (lower("code" collate "C") gin_trgm_ops);`);
    this.addSql(`create index "sku_name_trgm_index" on "sku" using gin (lower("name" collate "C") gin_trgm_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "sku_code_lower_index";`);
    this.addSql(`drop index "sku_name_lower_index";`);
    this.addSql(`drop index "sku_code_trgm_index";`);
    this.addSql(`drop index "sku_name_trgm_index";`);
  }

}
