/**
 * Sparklines for trends of recent runs: `▁▂▃▄▅▆▇█`, oldest → newest. Kept here (pure, no domain
 * imports) so the builders need nothing but their input.
 */

export const SPARK_BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** Points a sparkline shows at most (the newest); a trend of the last 20 runs fits whole. */
export const SPARKLINE_MAX_POINTS = 30;

/**
 * One bar per value, scaled from the smallest (▁) to the largest (█) of the values shown;
 * all-equal values are a flat `▄` line, no values an empty string. Values that are not finite
 * numbers are left out. Only the newest `maxPoints` values are drawn.
 */
export function sparkline(values: readonly number[], maxPoints: number = SPARKLINE_MAX_POINTS): string {
  if (maxPoints < 1) return '';
  const points = values.filter((v) => Number.isFinite(v)).slice(-Math.floor(maxPoints));
  if (!points.length) return '';
  let min = points[0]!;
  let max = points[0]!;
  for (const v of points) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max === min) return SPARK_BARS[3].repeat(points.length);
  const top = SPARK_BARS.length - 1;
  return points.map((v) => SPARK_BARS[Math.round(((v - min) / (max - min)) * top)]).join('');
}
