import type { PairHealthReport } from '../services/health.service.js';
import type { HealthView } from './blocks/types.js';

/** Health as the builders show it: states, reasons and the trends of the last runs. */
export function toHealthView(report: PairHealthReport): HealthView {
  const indicator = (name: keyof PairHealthReport['indicators']) => ({ state: report.indicators[name].state, reason: report.indicators[name].reason });
  return {
    overall: report.overall,
    indicators: { status: indicator('status'), failed: indicator('failed'), fetched: indicator('fetched'), duration: indicator('duration'), schedule: indicator('schedule') },
    trends: report.trends,
  };
}
