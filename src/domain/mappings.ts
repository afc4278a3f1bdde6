/** External-ID mappings: what an integration's SKU or channel identifier resolves to in Tether. */
export const MAPPING_KINDS = ['sku', 'channel'] as const;
export type MappingKind = (typeof MAPPING_KINDS)[number];

export function isMappingKind(value: string): value is MappingKind {
  return (MAPPING_KINDS as readonly string[]).includes(value);
}

/** External ids and Tether codes are at most this long (the records' own limit). */
export const MAX_EXTERNAL_ID = 255;

/** "SKU" / "channel", for messages. */
export const kindWord = (kind: MappingKind): string => (kind === 'sku' ? 'SKU' : 'channel');
