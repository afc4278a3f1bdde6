import type { DomainType } from '../domain/domain-types.js';
import type { ItemDraft, PageCommit } from '../sync/ports.js';
import type { Queryable } from './pool.js';

// Unmapped-SKU lists travel as JSON text per row: unnest() cannot carry an array per row.
const skuList = (item: ItemDraft): string | null => (item.unmappedSkus ? JSON.stringify(item.unmappedSkus) : null);
const SKU_ARRAY = `CASE WHEN x.skus IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(x.skus::jsonb)) END`;

const INSERT_ITEMS = `
  INSERT INTO sync_item (execution_id, domain_type, external_id, status, error_message, unmapped_skus,
                         unmapped_channel, aggregate, record_count, fetched_at, carried_over)
  SELECT $1, $2, x.external_id, x.status, x.error_message, ${SKU_ARRAY}, x.channel, false, 1, $8, $9
  FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       AS x(external_id, status, error_message, skus, channel)`;

const FINALIZE_AGGREGATES = `
  UPDATE sync_item i SET status = x.status, error_message = x.error_message,
         unmapped_skus = ${SKU_ARRAY}, record_count = x.record_count
  FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[])
       AS x(id, status, error_message, skus, record_count)
  WHERE i.id = x.id`;

const INSERT_RECORD_ERRORS = `
  INSERT INTO sync_item_error (item_id, execution_id, record_ref, message, unmapped_sku)
  SELECT x.item_id, $1, x.record_ref, x.message, x.unmapped_sku
  FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) AS x(item_id, record_ref, message, unmapped_sku)`;

/** Writes a page's items: plain items inserted, staged aggregate items finalised with their errors. */
export async function insertItems(db: Queryable, executionId: number, domainType: DomainType, page: PageCommit): Promise<void> {
  const plain = page.items.filter((item) => !item.aggregate);
  if (plain.length) {
    await db.query(INSERT_ITEMS, [
      executionId,
      domainType,
      plain.map((item) => item.externalId),
      plain.map((item) => item.status),
      plain.map((item) => item.errorMessage),
      plain.map(skuList),
      plain.map((item) => item.unmappedChannel),
      page.fetchedAt,
      page.carriedOverItems,
    ]);
  }
  const aggregates = page.items.filter((item) => item.aggregate);
  if (!aggregates.length) return;
  await db.query(FINALIZE_AGGREGATES, [
    page.stagedAggregateIds,
    aggregates.map((item) => item.status),
    aggregates.map((item) => item.errorMessage),
    aggregates.map(skuList),
    aggregates.map((item) => item.recordCount),
  ]);
  const errors = aggregates.flatMap((item, index) =>
    item.recordErrors.map((error) => ({ itemId: page.stagedAggregateIds[index]!, ...error })),
  );
  if (!errors.length) return;
  await db.query(INSERT_RECORD_ERRORS, [
    executionId,
    errors.map((error) => error.itemId),
    errors.map((error) => error.recordRef),
    errors.map((error) => error.message),
    errors.map((error) => error.unmappedSku),
  ]);
}
