import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { App } from '@slack/bolt';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { WEB_API_METHODS } from '../../src/slack/api-methods.js';
import { registerSurfaces } from '../../src/slack/bot.js';
import type { SlackContext } from '../../src/slack/context.js';
import { ACTIONS, EVENTS, SLASH_COMMAND, VIEWS } from '../../src/slack/ids.js';

const manifest = parse(readFileSync(fileURLToPath(new URL('../../manifest.yml', import.meta.url)), 'utf8'));

/** Registers the app's surfaces on a recorder instead of Bolt, to see what the app answers. */
function registered() {
  const seen = { commands: [] as string[], actions: [] as string[], views: [] as string[], events: [] as string[], options: [] as string[] };
  const recorder = {
    command: (name: string) => seen.commands.push(name),
    action: (id: string) => seen.actions.push(id),
    view: (id: string) => seen.views.push(id),
    event: (name: string) => seen.events.push(name),
    options: (id: string) => seen.options.push(id),
  } as unknown as App;
  registerSurfaces(recorder, {} as SlackContext);
  return seen;
}

describe('manifest.yml matches the app', () => {
  const seen = registered();

  it('enables every slash command the app registers, with a description and usage hint', () => {
    const commands = manifest.features.slash_commands as { command: string; description: string; usage_hint: string; should_escape: boolean }[];
    expect(seen.commands).toEqual([SLASH_COMMAND]);
    for (const command of seen.commands) {
      const declared = commands.find((entry) => entry.command === command);
      expect(declared, command).toBeDefined();
      expect(declared!.description.length).toBeGreaterThan(0);
      expect(declared!.usage_hint).toContain('sync');
      expect(declared!.should_escape).toBe(false);
    }
  });

  it('subscribes to every event the app listens for, and has the App Home tab on', () => {
    expect(seen.events).toEqual([EVENTS.appHomeOpened]);
    for (const event of seen.events) expect(manifest.settings.event_subscriptions.bot_events).toContain(event);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it('turns interactivity on, and every action and view id is answered by a handler', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    // Every id but the searchable select's, which answers options requests instead.
    expect(new Set(seen.actions)).toEqual(new Set(Object.values(ACTIONS).filter((id) => id !== ACTIONS.mappingTarget)));
    expect(seen.options).toEqual([ACTIONS.mappingTarget]);
    for (const view of [VIEWS.items, VIEWS.resetConfirm, VIEWS.mapping]) expect(seen.views).toContain(view);
  });

  it('grants a scope for every Web API method the app calls, and no scope the app does not use', () => {
    const scopes = manifest.oauth_config.scopes.bot as string[];
    const needed = new Set(['commands', ...Object.values(WEB_API_METHODS).filter((scope): scope is string => scope !== null)]);
    for (const scope of needed) expect(scopes, scope).toContain(scope);
    // chat:write.public: posting run messages in public channels the bot was not invited to.
    expect(scopes.filter((scope) => !needed.has(scope))).toEqual(['chat:write.public']);
  });

  it('runs in Socket Mode by default', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
