import type { Database } from '../../db/client.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { readAllSettings, writeSetting } from './settings.repository.ts';
import { type SiteSettingKey, type SiteSettings, siteSettingDefaults } from './settings.defaults.ts';

/** Settings are read on every page: keep them a few seconds so that pages do not query for them. */
const cacheMilliseconds = 5_000;

/** `onChange` runs after a change is saved (the page cache forgets pages built with the old values). */
export function createSettingsService(db: Database, { onChange = () => {} }: { onChange?: () => void } = {}) {
  // The read in flight is shared: when the copy expires under load, one query refreshes it for all.
  let cached: { at: number; value: Promise<SiteSettings> } | null = null;
  const changeListeners = [onChange];

  async function read(): Promise<SiteSettings> {
    const stored = await readAllSettings(db);
    const value = { ...siteSettingDefaults } as SiteSettings;
    for (const key of Object.keys(siteSettingDefaults) as SiteSettingKey[]) {
      const saved = stored[key];
      if (saved !== undefined && typeof saved === typeof siteSettingDefaults[key]) {
        (value as Record<string, unknown>)[key] = saved;
      }
    }
    return value;
  }

  return {
    site(): Promise<SiteSettings> {
      if (cached && Date.now() - cached.at < cacheMilliseconds) return cached.value;
      const entry = { at: Date.now(), value: read() };
      cached = entry;
      // A failed read is not kept: the next page asks the database again.
      entry.value.catch(() => {
        if (cached === entry) cached = null;
      });
      return entry.value;
    },

    /** Saves the changed values with one audit row listing what changed. */
    async update(actor: Actor | null, changes: Partial<SiteSettings>): Promise<void> {
      authorize(actor, 'settings.manage');
      const current = await this.site();
      const changed = Object.entries(changes).filter(([key, value]) => current[key as SiteSettingKey] !== value);
      if (changed.length === 0) return;
      await db.transaction(async (tx) => {
        for (const [key, value] of changed) await writeSetting(tx, key, value);
        await recordAudit(tx, actor, {
          action: 'settings.update',
          objectType: 'settings',
          details: { changed: Object.fromEntries(changed.map(([key, value]) => [key, { from: current[key as SiteSettingKey], to: value }])) },
        });
      });
      cached = null;
      for (const listener of changeListeners) listener();
    },

    /** Runs after every saved change, as `onChange` does (other nodes are told through it). */
    subscribe(listener: () => void) {
      changeListeners.push(listener);
    },

    /** Another node saved a change: read the settings again at the next page. */
    forget() {
      cached = null;
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
