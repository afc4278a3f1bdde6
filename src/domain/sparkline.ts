/** Eight levels, lowest first: a trend a person sees at a glance (`▅▆▅▆▇▆▅▁`). */
export const SPARK_BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** What an all-equal series is drawn with: a flat line in the middle. */
const FLAT = SPARK_BLOCKS[3];

/**
 * A sparkline of the values, oldest first, one block per value, scaled from the series' minimum
 * (▁) to its maximum (█). An all-equal series is a flat middle line; an empty one is ''. A value
 * that is not a finite number is drawn as the minimum.
 */
export function sparkline(values: readonly number[]): string {
  if (!values.length) return '';
  const finite = values.map((value) => (Number.isFinite(value) ? value : Number.NaN));
  const known = finite.filter((value) => !Number.isNaN(value));
  if (!known.length) return FLAT.repeat(values.length);
  const min = Math.min(...known);
  const max = Math.max(...known);
  if (max === min) return finite.map((value) => (Number.isNaN(value) ? SPARK_BLOCKS[0] : FLAT)).join('');
  const top = SPARK_BLOCKS.length - 1;
  return finite.map((value) => SPARK_BLOCKS[Number.isNaN(value) ? 0 : Math.round(((value - min) / (max - min)) * top)]).join('');
}
