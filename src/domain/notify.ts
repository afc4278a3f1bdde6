import type { ExecutionStatus } from './statuses.js';

/** When an integration's Slack channel hears about its runs. */
export const NOTIFY_POLICIES = ['always', 'problems', 'never'] as const;
export type NotifyPolicy = (typeof NOTIFY_POLICIES)[number];

/** Statuses that count as a problem worth a message under `problems`. */
const PROBLEM_STATUSES: readonly ExecutionStatus[] = ['partial', 'failed', 'interrupted'];

/** Whether a run that ended with this status is announced under this policy. */
export function announces(policy: NotifyPolicy, status: ExecutionStatus): boolean {
  return policy === 'always' || (policy === 'problems' && PROBLEM_STATUSES.includes(status));
}
