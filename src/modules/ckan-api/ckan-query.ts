/**
 * The subset of Solr's query syntax that CKAN clients send in `q` and `fq`: `field:value`,
 * `-field:value` / `NOT field:value`, quoted values, `OR` between terms, `field:(a OR b)`,
 * ranges `field:[X TO *]`, and bare words for full text. The result is a small tree that the
 * repository turns into bound parameters: nothing typed here ever becomes SQL text.
 */

export const filterFields = [
  'id',
  'name',
  'title',
  'organization',
  'owner_org',
  'groups',
  'tags',
  'res_format',
  'license_id',
  'frequency',
  'metadata_modified',
  'metadata_created',
  // Always true for what the API shows; accepted because harvesters send them.
  'type',
  'dataset_type',
  'state',
  'capacity',
] as const;
export type FilterField = (typeof filterFields)[number];

export type Match = { kind: 'equals'; value: string } | { kind: 'any' } | { kind: 'range'; from: Date | null; to: Date | null };

export type Term = { kind: 'field'; field: FilterField; match: Match; negate: boolean } | { kind: 'text'; text: string; negate: boolean };

/** Groups are ANDed; the terms inside one group are ORed. */
export type QueryTree = Term[][];

export class QuerySyntaxError extends Error {}

const dateFields = new Set<FilterField>(['metadata_modified', 'metadata_created']);
const maxLength = 2000;
const maxTerms = 50;

/** `quoteStart`: where in `text` a quoted part began (a quoted part is never syntax), or -1. */
type Token = { kind: 'word'; text: string; quoted: boolean; quoteStart: number } | { kind: 'open' } | { kind: 'close' } | { kind: 'range'; text: string };

/** Splits into words (a quoted string is one word, a `[… TO …]` range is one token). */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < input.length) {
    const char = input[index];
    if (/\s/.test(char)) {
      index++;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char === '(' ? 'open' : 'close' });
      index++;
    } else if (char === '[' || char === '{') {
      const end = input.indexOf(char === '[' ? ']' : '}', index);
      if (end < 0) throw new QuerySyntaxError('unclosed range');
      tokens.push({ kind: 'range', text: input.slice(index + 1, end) });
      index = end + 1;
    } else {
      // A word runs to whitespace or a parenthesis; a quoted part inside it keeps its spaces.
      let text = '';
      let quoteStart = -1;
      while (index < input.length && !/[\s()]/.test(input[index])) {
        if (input[index] === '"') {
          const end = input.indexOf('"', index + 1);
          if (end < 0) throw new QuerySyntaxError('unclosed quote');
          if (quoteStart < 0) quoteStart = text.length;
          text += input.slice(index + 1, end);
          index = end + 1;
        } else if (input[index] === '\\' && index + 1 < input.length) {
          text += input[index + 1];
          index += 2;
        } else if ((input[index] === '[' || input[index] === '{') && text.endsWith(':')) {
          break;
        } else {
          text += input[index++];
        }
      }
      tokens.push({ kind: 'word', text, quoted: quoteStart === 0, quoteStart });
    }
  }
  return tokens;
}

/** Solr date math we accept: an ISO date or date-time, `*`, `NOW`, `NOW-7DAYS`, `NOW/DAY-1MONTH`. */
export function parseSolrDate(raw: string, now = new Date()): Date | null {
  const text = raw.trim();
  if (text === '*') return null;
  const math = /^NOW(?:\/(?:DAY|HOUR))?(?:([+-])(\d{1,6})(YEARS?|MONTHS?|DAYS?|HOURS?|MINUTES?))?$/i.exec(text);
  if (math) {
    const date = new Date(now);
    if (math[1]) {
      const amount = Number(math[2]) * (math[1] === '-' ? -1 : 1);
      const unit = math[3].toUpperCase().replace(/S$/, '');
      if (unit === 'YEAR') date.setUTCFullYear(date.getUTCFullYear() + amount);
      else if (unit === 'MONTH') date.setUTCMonth(date.getUTCMonth() + amount);
      else if (unit === 'DAY') date.setUTCDate(date.getUTCDate() + amount);
      else if (unit === 'HOUR') date.setUTCHours(date.getUTCHours() + amount);
      else date.setUTCMinutes(date.getUTCMinutes() + amount);
    }
    return date;
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?Z?$/.test(text)) throw new QuerySyntaxError(`not a date: ${text}`);
  // CKAN's timestamps are naive UTC: read them as UTC.
  const iso = text.length === 10 ? `${text}T00:00:00Z` : `${text.replace(' ', 'T').replace(/Z?$/, '')}Z`;
  const date = new Date(iso.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(date.getTime())) throw new QuerySyntaxError(`not a date: ${text}`);
  return date;
}

function fieldOf(name: string): FilterField {
  if (!(filterFields as readonly string[]).includes(name)) throw new QuerySyntaxError(`unknown field: ${name}`);
  return name as FilterField;
}

function matchOf(field: FilterField, value: string, quoted: boolean): Match {
  if (value === '*' && !quoted) return { kind: 'any' };
  if (dateFields.has(field)) {
    const at = parseSolrDate(value);
    return { kind: 'range', from: at, to: at };
  }
  return { kind: 'equals', value };
}

function rangeOf(field: FilterField, text: string): Match {
  if (!dateFields.has(field)) throw new QuerySyntaxError(`ranges only apply to dates: ${field}`);
  const parts = text.split(/\s+TO\s+/);
  if (parts.length !== 2) throw new QuerySyntaxError('a range is [FROM TO UNTIL]');
  return { kind: 'range', from: parseSolrDate(parts[0]), to: parseSolrDate(parts[1]) };
}

/**
 * Parses `q` or `fq`. Bare words become full-text terms; `*:*` and an empty string select everything.
 */
export function parseQuery(input: string): QueryTree {
  if (input.length > maxLength) throw new QuerySyntaxError('query too long');
  const tokens = tokenize(input);
  const groups: QueryTree = [];
  let pendingOr = false;
  let negateNext = false;
  let position = 0;

  const push = (terms: Term[]) => {
    if (pendingOr && groups.length > 0) groups[groups.length - 1].push(...terms);
    else groups.push(terms);
    pendingOr = false;
  };

  while (position < tokens.length) {
    const token = tokens[position++];
    if (token.kind !== 'word') throw new QuerySyntaxError('unexpected bracket');
    if (!token.quoted && (token.text === 'OR' || token.text === '||')) {
      if (groups.length === 0) throw new QuerySyntaxError('OR without a term before it');
      pendingOr = true;
      continue;
    }
    if (!token.quoted && (token.text === 'AND' || token.text === '&&')) continue;
    if (!token.quoted && token.text === 'NOT') {
      negateNext = true;
      continue;
    }
    let text = token.text;
    let negate = negateNext;
    negateNext = false;
    if (!token.quoted && (text.startsWith('-') || text.startsWith('+'))) {
      negate = text.startsWith('-') ? !negate : negate;
      text = text.slice(1);
    }
    if (text === '*:*' && !token.quoted) {
      if (negate) throw new QuerySyntaxError('-*:* selects nothing');
      continue;
    }
    const colon = text.indexOf(':');
    const offset = token.text.length - text.length;
    const quoteStart = token.quoteStart < 0 ? -1 : token.quoteStart - offset;
    if (colon <= 0 || (quoteStart >= 0 && colon >= quoteStart)) {
      if (text.trim()) push([{ kind: 'text', text, negate }]);
      continue;
    }
    const field = fieldOf(text.slice(0, colon));
    const rest = text.slice(colon + 1);
    const valueQuoted = quoteStart > colon;
    if (rest !== '' || valueQuoted) {
      push([{ kind: 'field', field, match: matchOf(field, rest, valueQuoted), negate }]);
      continue;
    }
    // The value follows as its own token: a range, a quoted string, or a parenthesised list.
    const next = tokens[position++];
    if (!next) throw new QuerySyntaxError(`no value for ${field}`);
    if (next.kind === 'range') {
      push([{ kind: 'field', field, match: rangeOf(field, next.text), negate }]);
    } else if (next.kind === 'word') {
      push([{ kind: 'field', field, match: matchOf(field, next.text, next.quoted), negate }]);
    } else if (next.kind === 'open') {
      const alternatives: Term[] = [];
      for (;;) {
        const inner = tokens[position++];
        if (!inner) throw new QuerySyntaxError('unclosed parenthesis');
        if (inner.kind === 'close') break;
        if (inner.kind === 'range') alternatives.push({ kind: 'field', field, match: rangeOf(field, inner.text), negate: false });
        else if (inner.kind === 'word' && !(!inner.quoted && inner.text === 'OR')) {
          alternatives.push({ kind: 'field', field, match: matchOf(field, inner.text, inner.quoted), negate: false });
        } else if (inner.kind === 'open') throw new QuerySyntaxError('nested parentheses');
      }
      if (alternatives.length === 0) throw new QuerySyntaxError('empty list');
      // -field:(a OR b) is "neither a nor b": one group of negated terms would be "not a or not b".
      if (negate) for (const term of alternatives) push([{ ...term, negate: true }]);
      else push(alternatives);
    } else {
      throw new QuerySyntaxError('unexpected bracket');
    }
  }
  if (pendingOr) throw new QuerySyntaxError('OR without a term after it');
  if (groups.flat().length > maxTerms) throw new QuerySyntaxError('too many terms');
  return groups;
}

export const sortFields = ['id', 'name', 'title', 'title_string', 'metadata_modified', 'metadata_created', 'score'] as const;
export type SortField = (typeof sortFields)[number];
export type SortKey = { field: SortField; descending: boolean };

/** `sort=metadata_modified desc, name asc` → keys; CKAN's default is `score desc, metadata_modified desc`. */
export function parseSort(input: string | undefined): SortKey[] {
  const text = (input ?? '').trim() || 'score desc, metadata_modified desc';
  return text.split(',').map((part) => {
    const [field, direction = 'asc', ...extra] = part.trim().split(/\s+/);
    if (extra.length > 0 || !(sortFields as readonly string[]).includes(field) || !/^(asc|desc)$/i.test(direction)) {
      throw new QuerySyntaxError(`cannot sort by: ${part.trim()}`);
    }
    return { field: field as SortField, descending: direction.toLowerCase() === 'desc' };
  });
}
