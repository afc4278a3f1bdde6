/** Expected refusals before a run starts; the CLI and Slack turn these into a clear message. */
export class RunRefused extends Error {
  override name = 'RunRefused';
  constructor(
    readonly code: 'unknown_integration' | 'unsupported_domain' | 'already_running' | 'disabled',
    message: string,
    readonly runningExecutionId: number | null = null,
  ) {
    super(message);
  }
}
