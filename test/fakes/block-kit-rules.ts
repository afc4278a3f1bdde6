/** Slack's Block Kit limits, shared with the sandbox (src/sandbox/block-kit-rules.ts). */
export * from '../../src/sandbox/block-kit-rules.js';
