import type { Translate } from '../../i18n/i18n.ts';
import { type Actor, can, type Permission } from '../accounts/permissions.ts';

export interface NavItem {
  href: string;
  label: string;
  current: boolean;
  count?: number;
}

/** Sections of the back office, each shown only to those whose role grants its permission. */
const sections: Array<{ href: string; labelKey: string; permission: Permission }> = [
  { href: '/admin', labelKey: 'backoffice.nav_dashboard', permission: 'backoffice.enter' },
  { href: '/admin/inbox', labelKey: 'backoffice.nav_inbox', permission: 'dataset.read' },
  { href: '/admin/datasets', labelKey: 'backoffice.nav_datasets', permission: 'dataset.read' },
  { href: '/admin/quality', labelKey: 'quality.nav', permission: 'dataset.read' },
  { href: '/admin/feedback', labelKey: 'feedback.nav', permission: 'feedback.read' },
  { href: '/admin/reports', labelKey: 'reports.nav', permission: 'report.read' },
  { href: '/admin/catalogue', labelKey: 'catalogue.nav', permission: 'catalogue.manage' },
  { href: '/admin/catalogue/requests', labelKey: 'requests.nav', permission: 'catalogue.request' },
  { href: '/admin/agencies', labelKey: 'backoffice.nav_agencies', permission: 'agency.manage' },
  { href: '/admin/accounts', labelKey: 'backoffice.nav_accounts', permission: 'account.manage' },
  { href: '/admin/audit', labelKey: 'backoffice.nav_audit', permission: 'audit.read' },
  { href: '/admin/settings', labelKey: 'backoffice.nav_settings', permission: 'settings.manage' },
  { href: '/admin/jobs', labelKey: 'jobs.nav', permission: 'jobs.manage' },
  { href: '/admin/api-tokens', labelKey: 'apitokens.nav', permission: 'apitoken.manage' },
];

export function backofficeNav(actor: Actor | null, path: string, t: Translate, counts: Record<string, number> = {}): NavItem[] {
  return sections
    .filter((section) => can(actor, section.permission))
    .map((section) => ({
      href: section.href,
      label: t(section.labelKey),
      current: section.href === '/admin' ? path === '/admin' : path.startsWith(section.href),
      count: counts[section.href],
    }));
}
