import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Facts about this database itself, one row per key (e.g. "created by a demo or test run"). */
export const SettingSchema = defineEntity({
  name: 'Setting',
  properties: {
    key: p.string().length(64).primary(),
    value: p.json<Record<string, unknown>>().default('{}'),
    updatedAt: p.datetime().defaultRaw('now()').onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Setting = InferEntity<typeof SettingSchema>;
