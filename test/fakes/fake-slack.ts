/**
 * The tests' Slack Web API: the sandbox's server (src/sandbox/slack-web-api.ts), which also
 * injects faults (failNext, down) and records calls and violations for assertions.
 */
export { SlackWebApi as FakeSlack } from '../../src/sandbox/slack-web-api.js';
export type * from '../../src/sandbox/slack-web-api.js';
