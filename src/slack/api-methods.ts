/**
 * Every Slack Web API method the app calls, with the bot scope it needs (null: none). The manifest
 * test checks that manifest.yml grants each scope, and the tests check that nothing else is called.
 */
export const WEB_API_METHODS: Record<string, string | null> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'views.open': null,
  'views.update': null,
  'views.push': null,
  'views.publish': null,
  'users.info': 'users:read',
  'apps.connections.open': null,
};
