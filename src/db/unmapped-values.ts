import type pg from 'pg';
import type { MappingKind } from '../domain/mappings.js';
import { inTransaction, type Queryable } from './pool.js';

/** What the kept problem records hold back behind one unmapped external value. */
export interface UnmappedValue {
  value: string;
  /** Kept records it holds back: orders plus inventory rows. The ranking key (most first). */
  heldBack: number;
  /** Kept orders naming it (a SKU on any of their lines, or their channel). */
  orders: number;
  /** SKU: the quantity on the lines naming it; channel: the quantity on all lines of those orders. */
  units: number;
  /** Quantity × unit price of those lines, per currency (exact decimal strings), by currency code. */
  orderValue: { currency: string; amount: string }[];
  /** SKU only: kept inventory rows (warehouse × SKU records) naming it. */
  inventoryRows: number;
}

export interface UnmappedQuery {
  integrationId: number;
  /** The integration resolves SKUs equal to a Tether SKU code without a mapping. */
  matchSkuCodes: boolean;
  kind: MappingKind;
  limit: number;
  /** Keyset: the last row of the previous page. */
  after: { heldBack: number; value: string } | null;
}

/*
 * Reading the raw records: only what the record validation would accept counts — text values
 * (trimmed, as the resolver sees them), whole quantities from 1, decimal-string prices, 3-letter
 * currencies. Anything else is left out of units and values (the record is still counted: it is
 * held back by the value, and by its other fault too).
 */
const LINES_OF = (lines: string) =>
  `jsonb_array_elements(CASE WHEN jsonb_typeof(${lines}) = 'array' THEN ${lines} ELSE '[]'::jsonb END) AS l(line)`;
const QUANTITY = `CASE jsonb_typeof(l.line->'quantity')
    WHEN 'number' THEN CASE WHEN (l.line->'quantity')::numeric BETWEEN 1 AND 2147483647 AND (l.line->'quantity')::numeric % 1 = 0
      THEN (l.line->'quantity')::numeric::bigint END
    WHEN 'string' THEN CASE WHEN (l.line->>'quantity') ~ '^\\s*\\d{1,10}\\s*$' THEN
      CASE WHEN btrim(l.line->>'quantity')::bigint BETWEEN 1 AND 2147483647 THEN btrim(l.line->>'quantity')::bigint END END END`;
const UNIT_PRICE = `CASE WHEN jsonb_typeof(l.line->'unit_price') = 'string' AND (l.line->>'unit_price') ~ '^-?\\d{1,10}(\\.\\d{1,4})?$'
    THEN (l.line->>'unit_price')::numeric END`;
const CURRENCY = `CASE WHEN (p.raw->>'currency') ~ '^[A-Z]{3}$' THEN p.raw->>'currency' END`;

/** Not resolvable now: no mapping of the integration, and (with match_sku_codes) no SKU with that code. */
const SKU_UNMAPPED = (value: string) => `${value} <> ''
    AND NOT EXISTS (SELECT 1 FROM sku_external_id m WHERE m.integration_id = $1 AND m.external_id = ${value})
    AND NOT ($2::boolean AND EXISTS (SELECT 1 FROM sku s WHERE s.code = ${value}))`;
const CHANNEL_UNMAPPED = (value: string) => `${value} <> ''
    AND NOT EXISTS (SELECT 1 FROM channel_external_id m WHERE m.integration_id = $1 AND m.external_id = ${value})`;

/**
 * One row per value and currency from `line` (record_id, value, currency, quantity, unit_price),
 * summed up per value in `ranked`. An order has one currency, so orders summed over currencies
 * are distinct orders. No joins between aggregates: the planner's row estimates for JSON
 * expansions are guesses, and a nested loop over a re-aggregated side took minutes (measured).
 */
const RANKED = (inventory: string) => `
  facts AS (
    SELECT value, currency, count(DISTINCT record_id) AS orders, coalesce(sum(quantity), 0) AS units,
           sum(quantity * unit_price) AS amount, 0 AS inventory_rows
    FROM line GROUP BY value, currency
    ${inventory}
  ),
  ranked AS (
    SELECT value, sum(orders) AS orders, sum(units) AS units, sum(inventory_rows) AS inventory_rows,
           sum(orders) + sum(inventory_rows) AS held_back,
           coalesce(jsonb_agg(jsonb_build_object('currency', currency, 'amount', amount::text) ORDER BY currency)
                    FILTER (WHERE currency IS NOT NULL AND amount IS NOT NULL), '[]'::jsonb) AS order_value
    FROM facts GROUP BY value
  )`;

const SKU_VALUES = `
  line AS (
    SELECT p.id AS record_id, btrim(l.line->>'sku') AS value, ${QUANTITY} AS quantity, ${UNIT_PRICE} AS unit_price, ${CURRENCY} AS currency
    FROM problem_record p CROSS JOIN LATERAL ${LINES_OF(`p.raw->'lines'`)}
    WHERE p.integration_id = $1 AND p.domain_type = 'sales_orders' AND jsonb_typeof(l.line->'sku') = 'string'
      AND ${SKU_UNMAPPED(`btrim(l.line->>'sku')`)}
  ),
  ${RANKED(`UNION ALL
    SELECT btrim(p.raw->>'sku'), NULL, 0, 0, NULL, count(*) FROM problem_record p
    WHERE p.integration_id = $1 AND p.domain_type = 'warehouse_inventory' AND jsonb_typeof(p.raw->'sku') = 'string'
      AND ${SKU_UNMAPPED(`btrim(p.raw->>'sku')`)}
    GROUP BY 1`)}`;

const CHANNEL_VALUES = `
  unmapped AS (
    SELECT p.id AS record_id, btrim(p.raw->>'channel') AS value, ${CURRENCY} AS currency, p.raw->'lines' AS lines
    FROM problem_record p
    WHERE p.integration_id = $1 AND p.domain_type = 'sales_orders' AND jsonb_typeof(p.raw->'channel') = 'string'
      AND ${CHANNEL_UNMAPPED(`btrim(p.raw->>'channel')`)}
      AND $2::boolean IS NOT NULL -- (match_sku_codes plays no part for channels; the parameters are shared)
  ),
  line AS (
    -- Every order counts, even one with no readable line (LEFT JOIN ... ON true).
    SELECT u.record_id, u.value, u.currency, ${QUANTITY} AS quantity, ${UNIT_PRICE} AS unit_price
    FROM unmapped u LEFT JOIN LATERAL ${LINES_OF('u.lines')} ON true
  ),
  ${RANKED('')}`;

/**
 * The planner cannot estimate JSON expansions: its cost guess turned JIT on, which spent ~200 ms
 * compiling (measured, EXPLAIN "JIT: Timing"). The sorts of the aggregation stay in memory.
 */
export const UNMAPPED_SETTINGS = `SET LOCAL jit = off; SET LOCAL work_mem = '32MB'`;

/**
 * The unmapped external values the integration's kept problem records hold back, most blocking
 * first (records held back, then the value), one keyset page, with how many there are in all.
 * Computed in SQL over the raw JSON of the kept records (`problem_record`): each page reads the
 * kept records of the integration once; nothing is loaded into memory.
 */
export async function unmappedValues(pool: pg.Pool, query: UnmappedQuery): Promise<{ values: UnmappedValue[]; total: number }> {
  return inTransaction(pool, async (db) => {
    await db.query(UNMAPPED_SETTINGS);
    return readPage(db, query);
  });
}

/** The page query of one kind: $1 integration id, $2 match_sku_codes, $3 / $4 keyset (held back, value), $5 limit. */
export const unmappedPageSql = (kind: MappingKind): string => `WITH ${kind === 'sku' ? SKU_VALUES : CHANNEL_VALUES}
     SELECT value, orders::bigint, units::bigint, order_value, inventory_rows::bigint, held_back::bigint, total FROM (
       SELECT *, count(*) OVER () AS total FROM ranked
     ) AS counted
     WHERE $3::bigint IS NULL OR held_back < $3 OR (held_back = $3 AND value COLLATE "C" > $4)
     ORDER BY held_back DESC, value COLLATE "C"
     LIMIT $5`;

async function readPage(db: Queryable, query: UnmappedQuery): Promise<{ values: UnmappedValue[]; total: number }> {
  const { rows } = await db.query<{
    value: string;
    orders: number;
    units: number;
    order_value: { currency: string; amount: string }[];
    inventory_rows: number;
    held_back: number;
    total: number;
  }>(
    unmappedPageSql(query.kind),
    [query.integrationId, query.matchSkuCodes, query.after?.heldBack ?? null, query.after?.value ?? null, query.limit],
  );
  return {
    values: rows.map((row) => ({
      value: row.value,
      heldBack: row.held_back,
      orders: row.orders,
      units: row.units,
      orderValue: row.order_value.map((value) => ({ currency: value.currency, amount: value.amount })),
      inventoryRows: row.inventory_rows,
    })),
    total: rows[0]?.total ?? (query.after ? await countUnmapped(db, query) : 0),
  };
}

/** How many values there are in all, for a page past the last one (no rows to read it from). */
async function countUnmapped(db: Queryable, query: UnmappedQuery): Promise<number> {
  const { rows } = await db.query<{ total: number }>(
    `WITH ${query.kind === 'sku' ? SKU_VALUES : CHANNEL_VALUES} SELECT count(*) AS total FROM ranked`,
    [query.integrationId, query.matchSkuCodes],
  );
  return rows[0]?.total ?? 0;
}
