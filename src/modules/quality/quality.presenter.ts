import type { Locale, Translate } from '../../i18n/i18n.ts';
import type { QualityResult } from './quality.criteria.ts';
import type { AssessedDataset } from './quality.service.ts';

const levelOf = (score: number) => (score >= 80 ? 'good' : score >= 50 ? 'fair' : 'low');

/** The small badge of a public dataset page: the score, its level and the best openness stars. */
export function presentQualityBadge(quality: QualityResult | null, t: Translate) {
  if (!quality) return null;
  return {
    score: quality.score,
    level: levelOf(quality.score),
    label: t('quality.badge', { score: quality.score }),
    stars: quality.stars,
    starsLabel: t('quality.stars_label', { stars: quality.stars }),
    passed: quality.checks.filter((check) => check.passed).map((check) => t(`quality.criterion_${check.criterion}`)),
  };
}

/** A row of the officer's list. */
export function presentQualityRow(row: AssessedDataset, _locale: Locale, t: Translate) {
  return {
    title: row.revision.title,
    agencyName: row.dataset.agencyName,
    url: `/admin/quality/${row.dataset.id}`,
    score: row.quality.score,
    level: levelOf(row.quality.score),
    stars: row.quality.stars,
    starsLabel: t('quality.stars_label', { stars: row.quality.stars }),
    toFix: row.quality.total - row.quality.passed,
  };
}

/** One dataset's checklist: every criterion, and for those that fail what to do about it. */
export function presentQualityDetail(row: AssessedDataset, t: Translate) {
  return {
    title: row.revision.title,
    editUrl: `/admin/datasets/${row.dataset.id}`,
    score: row.quality.score,
    level: levelOf(row.quality.score),
    passed: row.quality.passed,
    total: row.quality.total,
    checks: row.quality.checks.map((check) => ({
      passed: check.passed,
      label: t(`quality.criterion_${check.criterion}`),
      fix: check.passed ? '' : t(`quality.fix_${check.criterion}`),
    })),
    brokenLinks: row.quality.brokenLinks.map((link) => ({ ...link, statusLabel: link.status === null ? t('quality.no_answer') : String(link.status) })),
    resources: row.quality.resources.map((resource) => ({
      name: resource.name,
      format: resource.format,
      stars: resource.stars,
      starsLabel: t('quality.stars_label', { stars: resource.stars }),
      explanation: t(`quality.stars_${resource.stars}`),
    })),
  };
}
