import { describe, expect, it } from 'vitest';
import { parseIntegrationsYaml, SpecError } from '../../src/config/integrations-file.js';
import { closestMatch } from '../../src/domain/suggest.js';

const yaml = (body: string) => body.replace(/^ {4}/gm, '');

describe('integrations file', () => {
  it('parses every documented field and substitutes ${ENV} in credentials', () => {
    const [spec] = parseIntegrationsYaml(
      yaml(`
    - key: shop-eu
      name: Shop EU
      connector: demo
      domains: [sales_orders, sales_orders]
      config: { orders: 10 }
      credentials: { token: "Bearer \${SHOP_TOKEN}" }
      schedule: { cron: "0 6 * * 1-5", timezone: Europe/Berlin }
      enabled: false
      dry_run: true
      match_sku_codes: true
      slack_channel: "#ops"
      notify: always
    `),
      { SHOP_TOKEN: 's3cret' },
    );
    expect(spec).toEqual({
      key: 'shop-eu',
      name: 'Shop EU',
      connector: 'demo',
      domains: ['sales_orders'],
      config: { orders: 10 },
      credentials: { token: 'Bearer s3cret' },
      schedule: { cron: '0 6 * * 1-5', timezone: 'Europe/Berlin' },
      enabled: false,
      dryRun: true,
      matchSkuCodes: true,
      slackChannel: '#ops',
      notify: 'always',
    });
  });

  it('says exactly what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['key: [unclosed', /not valid YAML/],
      ['key: x', /must be a YAML list/],
      ['- { key: "Bad Key", name: n, connector: demo, domains: [sales_orders] }', /integration 1 \("Bad Key"\): key must be a slug/],
      ['- { key: a, name: n, connector: demo, domains: [orders] }', /domains\.0 /],
      ['- { key: a, name: n, connector: demo, domains: [sales_orders], schedule: { cron: "61 * * * *" } }', /invalid cron "61 \* \* \* \*"/],
      ['- { key: a, name: n, connector: demo, domains: [sales_orders], schedule: { cron: "0 6 * * *", timezone: Mars/Base } }', /unknown timezone "Mars\/Base"/],
      ['- { key: a, name: n, connector: demo, domains: [sales_orders], credentials: { token: "${NOPE_TOKEN}" } }', /NOPE_TOKEN is not set/],
      ['- { key: a, name: n, connector: demo, domains: [sales_orders], colour: red }', /colour/],
      ['- { key: a, name: n, connector: demo, domains: [sales_orders] }\n- { key: a, name: m, connector: demo, domains: [sales_orders] }', /key "a" is declared twice/],
    ];
    for (const [source, message] of cases) {
      expect(() => parseIntegrationsYaml(source, {}, 'f.yml')).toThrow(SpecError);
      expect(() => parseIntegrationsYaml(source, {}, 'f.yml')).toThrow(message);
    }
  });
});

describe('did you mean', () => {
  it('suggests a close key and nothing for a distant one', () => {
    expect(closestMatch('demo-shp', ['demo-shop', 'demo-3pl'])).toBe('demo-shop');
    expect(closestMatch('histroy', ['help', 'history', 'sync'])).toBe('history');
    expect(closestMatch('completely-different', ['demo-shop'])).toBeNull();
  });
});
