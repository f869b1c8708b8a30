import { formatDate, type Locale, type Translate } from '../../i18n/i18n.ts';
import type { RequestListRow } from './requests.repository.ts';
import { localized } from '../../lib/localized.ts';

const badgeOf = { pending: 'pending', approved: 'published', declined: 'returned' } as const;

/** A request as the lists and its own page show it: what was asked, its state, and where it went. */
export function presentRequest(row: RequestListRow, locale: Locale, t: Translate) {
  const { request } = row;
  const inForce = row.catalogueStatus === 'approved';
  return {
    id: request.id,
    url: `/admin/catalogue/requests/${request.id}`,
    title: request.title,
    description: request.description,
    reason: request.reason,
    agencyName: row.agencyName,
    topicName: localized(row, 'topicName', locale),
    frequencyLabel: t(`frequency.${request.frequency}`),
    state: request.state,
    stateLabel: t(`requests.state_${request.state}`),
    badge: badgeOf[request.state],
    createdAt: formatDate(locale, request.createdAt),
    decidedAt: formatDate(locale, request.decidedAt),
    declineReason: request.declineReason ?? '',
    placement: row.catalogueYear !== null && row.entryNumber !== null ? t('requests.placement', { year: row.catalogueYear, number: row.entryNumber }) : '',
    // Once the entry is in the catalogue in force, the agency publishes against it like any other.
    createUrl: request.state === 'approved' && inForce && request.entryId && !row.entryDatasetId ? `/admin/datasets/new?entry=${request.entryId}` : null,
  };
}
export type RequestView = ReturnType<typeof presentRequest>;
