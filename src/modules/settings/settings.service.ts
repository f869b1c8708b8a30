import type { Database } from '../../db/client.ts';
import { readAllSettings, writeSetting } from './settings.repository.ts';
import { type SiteSettingKey, type SiteSettings, siteSettingDefaults } from './settings.defaults.ts';

/** Settings are read on every page: keep them a few seconds so that pages do not query for them. */
const cacheMilliseconds = 5_000;

export function createSettingsService(db: Database) {
  let cached: { at: number; value: SiteSettings } | null = null;

  return {
    async site(): Promise<SiteSettings> {
      if (cached && Date.now() - cached.at < cacheMilliseconds) return cached.value;
      const stored = await readAllSettings(db);
      const value = { ...siteSettingDefaults } as SiteSettings;
      for (const key of Object.keys(siteSettingDefaults) as SiteSettingKey[]) {
        const saved = stored[key];
        if (saved !== undefined && typeof saved === typeof siteSettingDefaults[key]) {
          (value as Record<string, unknown>)[key] = saved;
        }
      }
      cached = { at: Date.now(), value };
      return value;
    },

    async update(changes: Partial<SiteSettings>): Promise<void> {
      await db.transaction(async (tx) => {
        for (const [key, value] of Object.entries(changes)) await writeSetting(tx, key, value);
      });
      cached = null;
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
