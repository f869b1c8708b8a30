import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { Queryable } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { type Actor, authorize, can } from '../accounts/permissions.ts';
import { graceDaysFrom } from '../catalogue/compliance.service.ts';
import type { GraceDays } from '../catalogue/deadlines.ts';
import { publicationTimes } from '../catalogue/compliance.repository.ts';
import { approvedStates, type DatasetRevision, type UpdateFrequency } from '../datasets/datasets.table.ts';
import type { SiteSettings } from '../settings/settings.defaults.ts';
import { assessQuality, type QualityResult } from './quality.criteria.ts';
import {
  type DatasetForQuality,
  entryFrequencies,
  findDatasetForQuality,
  latestRevisions,
  listDatasetsForQuality,
  publishedLinks,
  resourcesWithChecks,
  revisionsById,
  saveLinkCheck,
} from './quality.repository.ts';

export interface AssessedDataset {
  dataset: DatasetForQuality;
  revision: DatasetRevision;
  quality: QualityResult;
}

/**
 * Scores a batch of datasets in a handful of queries. `which` chooses the revision: the public sees
 * the published one; an officer the newest one, which is what they are editing and fixing.
 */
async function assessMany(db: Queryable, list: DatasetForQuality[], which: 'published' | 'latest', site: SiteSettings, now: Date): Promise<AssessedDataset[]> {
  const ids = list.map((dataset) => dataset.id);
  const revisions =
    which === 'latest'
      ? await latestRevisions(db, ids)
      : new Map([...(await revisionsById(db, list.flatMap((dataset) => (dataset.publishedRevisionId ? [dataset.publishedRevisionId] : [])))).values()].map((revision) => [revision.datasetId, revision]));
  const [files, times, frequencies] = await Promise.all([
    resourcesWithChecks(db, [...revisions.values()].map((revision) => revision.id)),
    publicationTimes(db, ids),
    entryFrequencies(db, ids),
  ]);
  const grace = graceDaysFrom(site);
  return list.flatMap((dataset) => {
    const revision = revisions.get(dataset.id);
    if (!revision) return [];
    const quality = assessOne({
      dataset,
      revision,
      files: files.filter((file) => file.revisionId === revision.id),
      publishedAt: times.get(dataset.id) ?? [],
      entryFrequency: frequencies.get(dataset.id) ?? null,
      grace,
      now,
    });
    return [{ dataset, revision, quality }];
  });
}

/** A file as the score reads it: what it is and, for a link, the last check of its lineage. */
export interface FileForQuality {
  id: string;
  name: string;
  format: string;
  description: string;
  url: string | null;
  storageKey: string | null;
  checkOk: boolean | null;
  checkStatus: number | null;
  checkUrl: string | null;
}

function assessOne(input: {
  dataset: Pick<DatasetForQuality, 'firstPublishedAt'>;
  revision: DatasetRevision;
  files: FileForQuality[];
  publishedAt: Date[];
  entryFrequency: string | null;
  grace: GraceDays;
  now: Date;
}): QualityResult {
  const { dataset, revision } = input;
  return assessQuality({
    licence: revision.licence,
    temporalCoverage: revision.temporalCoverage,
    spatialCoverage: revision.spatialCoverage,
    description: revision.description,
    updateFrequency: revision.updateFrequency,
    entryFrequency: (input.entryFrequency as UpdateFrequency | null) ?? null,
    firstPublishedAt: dataset.firstPublishedAt,
    publishedAt: input.publishedAt,
    resources: input.files.map((file) => {
      const isLink = !file.storageKey && Boolean(file.url);
      // A check made for an address since changed says nothing about the new one.
      const linkCheck = isLink && file.checkOk !== null && file.checkUrl === file.url ? { ok: file.checkOk, status: file.checkStatus } : null;
      return { id: file.id, name: file.name, format: file.format, description: file.description, url: isLink ? file.url : null, linkCheck };
    }),
    grace: input.grace,
    now: input.now,
  });
}

/** The quality of the datasets the actor works on: an agency's own, or every agency's for DOIT. */
export async function qualityOverview(db: Queryable, actor: Actor | null, site: SiteSettings, now = new Date()) {
  authorize(actor, 'dataset.read');
  const everyAgency = can(actor, 'catalogue.manage');
  const list = await listDatasetsForQuality(db, everyAgency ? undefined : (actor.agencyId ?? '00000000-0000-0000-0000-000000000000'));
  const rows = await assessMany(db, list, 'latest', site, now);
  return { rows: rows.sort((a, b) => a.quality.score - b.quality.score || a.revision.title.localeCompare(b.revision.title, 'vi')), everyAgency };
}

/** One dataset's score with what to fix, for its agency (and DOIT). */
export async function datasetQuality(db: Queryable, actor: Actor | null, datasetId: string, site: SiteSettings, now = new Date()) {
  const dataset = await findDatasetForQuality(db, datasetId);
  if (!dataset) throw notFound('errors.dataset_not_found');
  authorize(actor, 'dataset.read', dataset);
  const [assessed] = await assessMany(db, [dataset], 'latest', site, now);
  if (!assessed) throw notFound('errors.dataset_not_found');
  return assessed;
}

/** What the public dataset page has read that the badge is scored from (publishedQualityOf). */
export interface PublishedQualityInput {
  dataset: Pick<DatasetForQuality, 'firstPublishedAt'>;
  revision: DatasetRevision;
  files: FileForQuality[];
  /** The dataset's revisions (any state): those approved and published count as publications. */
  revisions: DatasetRevision[];
  entryFrequency: string | null;
}

/**
 * The badge of a published dataset's public page, from what the page already read (the dataset, its
 * published revision and files with their link checks, its approved revisions, its catalogue entry's
 * frequency): the same score as datasetQuality gives for the published revision, without asking the database again.
 */
export function publishedQualityOf(
  page: PublishedQualityInput,
  site: SiteSettings,
  now = new Date(),
): QualityResult {
  // What publicationTimes reads: revisions published or superseded that carry a publication time.
  const publishedAt = page.revisions.flatMap((revision) => (approvedStates.includes(revision.state) && revision.publishedAt ? [revision.publishedAt] : []));
  return assessOne({ ...page, publishedAt, grace: graceDaysFrom(site), now });
}

export interface LinkCheckOptions {
  /** Seconds before an address that does not answer counts as unreachable. */
  timeoutMs?: number;
  concurrency?: number;
  /** Tests only: let the check reach a site on this machine. */
  allowPrivateAddresses?: boolean;
}

// The portal's own network is not the public's: a link that names (or resolves to) a loopback,
// private or link-local address is never requested, so that the check cannot be used to probe the
// servers beside the portal (SSRF). Redirects are not followed for the same reason: a 3xx answer
// already says the address answers.
const privateNetworks = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  privateNetworks.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [['::', 127], ['::ffff:0:0', 96], ['fc00::', 7], ['fe80::', 10]] as const) privateNetworks.addSubnet(network, prefix, 'ipv6');

const isPrivate = (address: string, family: number) => privateNetworks.check(address, family === 6 ? 'ipv6' : 'ipv4');

/**
 * The name is resolved once, by the connection itself, and a private answer refuses the connection:
 * checking the name first and letting the request resolve it again would leave a window for a DNS
 * answer that changes in between (rebinding). Node passes `all: true` when it tries every family.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    const reachable = error ? [] : addresses.filter((entry) => !isPrivate(entry.address, entry.family));
    if (error || reachable.length === 0) {
      const refused = error ?? Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATEADDRESS' });
      return (callback as (error: Error) => void)(refused);
    }
    if (options.all) return (callback as (error: null, addresses: LookupAddress[]) => void)(null, reachable);
    callback(null, reachable[0].address, reachable[0].family);
  });
};

/** The status of one request; the body is never read, only whether the address answers. */
function requestStatus(url: URL, method: 'HEAD' | 'GET', timeoutMs: number, allowPrivateAddresses: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(
      url,
      {
        method,
        agent: false,
        lookup: allowPrivateAddresses ? undefined : publicOnlyLookup,
        signal: AbortSignal.timeout(timeoutMs),
        headers: { 'user-agent': 'open-data-portal link check' },
      },
      (response) => {
        response.destroy();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** One address: HEAD first, GET when the server refuses HEAD; reachable when the answer is below 400. */
export async function checkLink(url: string, timeoutMs = 10_000, allowPrivateAddresses = false): Promise<{ ok: boolean; status: number | null }> {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return { ok: false, status: null };
  const address = new URL(url);
  // An address written as digits is connected to without a lookup, so it is checked here.
  const literal = address.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivateAddresses && isIP(literal) && isPrivate(literal, isIP(literal))) return { ok: false, status: null };
  try {
    let status = await requestStatus(address, 'HEAD', timeoutMs, allowPrivateAddresses);
    if (status === 405 || status === 501) status = await requestStatus(address, 'GET', timeoutMs, allowPrivateAddresses);
    return { ok: status < 400, status };
  } catch {
    return { ok: false, status: null };
  }
}

/**
 * The daily link check (uData's "links reachable"): every link the public sees is tried and the
 * result kept per resource lineage. A few at a time, so one slow site does not hold the rest.
 */
export async function checkPublishedLinks(db: Queryable, options: LinkCheckOptions = {}): Promise<{ checked: number; broken: number }> {
  const links = await publishedLinks(db);
  let next = 0;
  let broken = 0;
  const worker = async () => {
    while (next < links.length) {
      const link = links[next++];
      const result = await checkLink(link.url, options.timeoutMs, options.allowPrivateAddresses);
      if (!result.ok) broken++;
      await saveLinkCheck(db, { ...link, ...result });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, links.length) }, worker));
  return { checked: links.length, broken };
}
