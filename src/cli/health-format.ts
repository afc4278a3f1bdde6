import Table from 'cli-table3';
import { PROBLEM_TITLES, sparkline, type HealthProblem, type HealthState, type IndicatorName } from '../domain/health.js';
import type { PairHealthReport } from '../services/health.service.js';
import { CREDENTIALS_WAY_OUT } from './hints.js';

export const HEALTH_WORDS: Record<HealthState, string> = {
  healthy: 'healthy',
  attention: 'ATTENTION',
  not_enough_history: 'not enough history',
};

const ROWS: { name: IndicatorName; label: string }[] = [
  { name: 'status', label: 'status' },
  { name: 'failed', label: 'failed' },
  { name: 'fetched', label: 'fetched' },
  { name: 'duration', label: 'duration' },
  { name: 'schedule', label: 'last sync' },
];

/** The trend of an indicator's last runs, oldest first (empty for status and last sync). */
function trendOf(report: PairHealthReport, name: IndicatorName): string {
  const { trends } = report;
  const series = name === 'fetched' ? trends.recordsFetched : name === 'failed' ? trends.failed : name === 'duration' ? trends.durationMs : [];
  return sparkline(series);
}

/** A borderless table: columns separated by two spaces, the reason wrapped. */
const PLAIN_TABLE = {
  chars: {
    top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
    left: '  ', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
  },
  style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
};

/** What to run for a problem, in CLI words (the services' fix says what, this says how). */
export function problemCommand(problem: HealthProblem, report: PairHealthReport): string | null {
  const key = report.integration.key;
  const domain = `--domain ${report.domainType}`;
  const execution = problem.executionId;
  switch (problem.key) {
    case 'authentication':
      return `put the new credentials in the integrations file, then tether integrations apply <file.yml> and tether sync ${key} ${domain}`;
    case 'unmapped_skus':
    case 'unmapped_channels':
      return `see them with tether execution ${execution}; add them with tether mappings import <file.csv>, then tether sync ${key} ${domain}`;
    case 'failing':
      return problem.category === 'credentials' ? CREDENTIALS_WAY_OUT : `the error in full: tether execution ${execution}`;
    case 'failed_rising':
      return `tether items ${execution} --status failed,partial_mapped`;
    case 'no_records':
    case 'fetched_drop':
    case 'duration':
      return `compare the runs: tether executions ${key} ${domain}`;
    case 'stale':
      return `tether schedule ${key}${/start a worker/i.test(problem.fix) ? '; start one with tether worker' : ''}`;
  }
}

/** One pair: the overall word, a table of the indicators with their trends and reasons, then the problems and their fixes. */
export function formatPairHealth(report: PairHealthReport): string {
  const title = `${report.integration.key} · ${report.domainType}${report.integration.enabled ? '' : ' (disabled)'}  ${HEALTH_WORDS[report.overall]}`;
  const runs = report.trends.recordsFetched.length;
  const table = new Table({
    ...PLAIN_TABLE,
    head: ['indicator', 'state', runs > 1 ? `last ${runs} runs` : 'trend', 'why'],
    colWidths: [10, 18, Math.max(12, runs), 64],
    wordWrap: true,
  });
  for (const { name, label } of ROWS) {
    const indicator = report.indicators[name];
    table.push([label, HEALTH_WORDS[indicator.state], trendOf(report, name), indicator.reason]);
  }
  const lines = [title, ...table.toString().split('\n').map((line) => line.trimEnd())];
  for (const problem of report.problems) {
    const command = problemCommand(problem, report);
    const title = problem.key === 'failing' ? `${PROBLEM_TITLES.failing} (${problem.category})` : PROBLEM_TITLES[problem.key];
    lines.push(`  ! ${title}: ${problem.reason}`);
    lines.push(`    Fix: ${problem.fix}${command ? ` (${command})` : ''}`);
  }
  return lines.join('\n');
}

export function formatHealth(reports: PairHealthReport[], more: number): string {
  if (!reports.length) return 'No integrations yet.';
  const body = reports.map(formatPairHealth).join('\n\n');
  return more ? `${body}\n\n…and ${more} more integrations` : body;
}
