import { conflict } from '../../lib/errors.ts';
import { type Actor, can } from '../accounts/permissions.ts';
import type { Catalogue } from './catalogue.table.ts';

/**
 * What DOIT may do to a catalogue depends on its state: entries change only in a draft; a submitted
 * catalogue goes on to approval or back to draft; an approved one is the legal text and stays as it is.
 */
export function catalogueAbilities(actor: Actor | null, catalogue: Pick<Catalogue, 'status'>) {
  const manage = can(actor, 'catalogue.manage');
  return {
    editEntries: manage && catalogue.status === 'draft',
    submit: manage && catalogue.status === 'draft',
    approve: manage && catalogue.status === 'submitted',
    returnToDraft: manage && catalogue.status === 'submitted',
  };
}

/** Refuses a change to the entries of a catalogue that is not a draft, with a sentence saying why. */
export function assertEntriesEditable(catalogue: Pick<Catalogue, 'status' | 'year'>) {
  if (catalogue.status === 'draft') return;
  throw conflict(`catalogue.read_only_${catalogue.status}`, { year: catalogue.year });
}

export function assertStatus(catalogue: Pick<Catalogue, 'status' | 'year'>, expected: Catalogue['status'], messageKey: string) {
  if (catalogue.status !== expected) throw conflict(messageKey, { year: catalogue.year });
}
