import { describe, expect, it } from 'vitest';
import { parseCommand, tokenize } from '../../src/slack/commands/parse.js';

describe('/tether command text', () => {
  it('splits words and keeps quoted text together (straight and curly quotes)', () => {
    expect(tokenize('  items 42   "unmapped sku"  ')).toEqual(['items', '42', 'unmapped sku']);
    expect(tokenize('items 42 “ACME 9”')).toEqual(['items', '42', 'ACME 9']);
  });

  it('reads every subcommand', () => {
    expect(parseCommand('')).toEqual({ subcommand: 'help' });
    expect(parseCommand('help')).toEqual({ subcommand: 'help' });
    expect(parseCommand('sync shop')).toEqual({ subcommand: 'sync', integrationKey: 'shop', domainType: null, dryRun: false });
    expect(parseCommand('sync shop sales_orders dry-run')).toEqual({ subcommand: 'sync', integrationKey: 'shop', domainType: 'sales_orders', dryRun: true });
    expect(parseCommand('sync shop dry-run')).toEqual({ subcommand: 'sync', integrationKey: 'shop', domainType: null, dryRun: true });
    expect(parseCommand('status')).toEqual({ subcommand: 'status', integrationKey: null });
    expect(parseCommand('status shop')).toEqual({ subcommand: 'status', integrationKey: 'shop' });
    expect(parseCommand('history shop warehouse_inventory')).toEqual({ subcommand: 'history', integrationKey: 'shop', domainType: 'warehouse_inventory' });
    expect(parseCommand('schedule shop')).toEqual({ subcommand: 'schedule', integrationKey: 'shop' });
    expect(parseCommand('reset shop sales_orders')).toEqual({ subcommand: 'reset', integrationKey: 'shop', domainType: 'sales_orders' });
    expect(parseCommand('SYNC shop')).toMatchObject({ subcommand: 'sync' });
  });

  it('reads items: id, an optional status, then search text', () => {
    expect(parseCommand('items 42')).toEqual({ subcommand: 'items', executionId: 42, status: 'all', search: null });
    expect(parseCommand('items #42 failed')).toEqual({ subcommand: 'items', executionId: 42, status: 'failed', search: null });
    expect(parseCommand('items 42 problems ACME 9')).toEqual({ subcommand: 'items', executionId: 42, status: 'problems', search: 'ACME 9' });
    expect(parseCommand('items 42 ACME-901')).toEqual({ subcommand: 'items', executionId: 42, status: 'all', search: 'ACME-901' });
  });

  it('answers bad input with what was wrong, the usage, and a did-you-mean', () => {
    expect(parseCommand('histroy shop')).toEqual({ error: 'Unknown subcommand `histroy`.', usage: null, suggestion: '/tether history' });
    expect(parseCommand('frobnicate')).toEqual({ error: 'Unknown subcommand `frobnicate`.', usage: null, suggestion: null });
    expect(parseCommand('sync')).toMatchObject({ error: 'Which integration? Give its key.', usage: 'sync' });
    expect(parseCommand('items abc')).toMatchObject({ error: '`abc` is not an execution id (a positive whole number).', usage: 'items' });
    expect(parseCommand('items 0')).toMatchObject({ usage: 'items' });
    expect(parseCommand('items 42 faild')).toEqual({ error: 'Unknown status `faild`.', usage: 'items', suggestion: '/tether items 42 failed' });
    expect(parseCommand('schedule shop extra')).toMatchObject({ error: 'Too many arguments: `extra` is not understood.', usage: 'schedule' });
    expect(parseCommand('sync shop sales_orders warehouse_inventory')).toMatchObject({ usage: 'sync' });
  });
});
