import { LRUCache } from 'lru-cache';
import type { Database } from '../../db/client.ts';
import { type Actor, authorize } from '../accounts/permissions.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { readAllSettings, writeSetting } from './settings.repository.ts';
import { type SiteSettingKey, type SiteSettings, siteSettingDefaults } from './settings.defaults.ts';

/** Settings are read on every page: keep them a few seconds so that pages do not query for them. */
const cacheMilliseconds = 5_000;

/** `onChange` runs after a change is saved (the page cache forgets pages built with the old values). */
export function createSettingsService(db: Database, { onChange = () => {} }: { onChange?: () => void } = {}) {
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

  // One entry. The read in flight is shared: when the copy expires under load, one query refreshes it
  // for all. A failed read is not kept. A change clears it; a read already under way still answers
  // its waiters but is not kept (ignoreFetchAbort), so nothing older than the change is remembered.
  const cache = new LRUCache<'site', SiteSettings>({ max: 1, ttl: cacheMilliseconds, fetchMethod: read, ignoreFetchAbort: true });

  return {
    async site(): Promise<SiteSettings> {
      return (await cache.fetch('site')) as SiteSettings;
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
      cache.clear();
      for (const listener of changeListeners) listener();
    },

    /** Runs after every saved change, as `onChange` does (other nodes are told through it). */
    subscribe(listener: () => void) {
      changeListeners.push(listener);
    },

    /** Another node saved a change: read the settings again at the next page. */
    forget() {
      cache.clear();
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
