import { Refusal } from '../domain/refusals.js';

/** Expected refusals before a run starts; the CLI and Slack turn these into a clear message. */
export class RunRefused extends Refusal {
  override name = 'RunRefused';
  constructor(
    code: 'unknown_integration' | 'unsupported_domain' | 'already_running' | 'disabled' | 'nothing_to_retry',
    message: string,
    readonly runningExecutionId: number | null = null,
    integrationKey?: string,
  ) {
    super(code, message, { executionId: runningExecutionId, integrationKey });
  }
}
