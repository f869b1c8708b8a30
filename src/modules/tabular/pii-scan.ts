import { fold } from '../../lib/fold.ts';

/**
 * Decree 47/2020/NĐ-CP Art. 20: open data must not disclose personal information. This scanner
 * warns the officer (and the approving leader) about columns that look personal, from their header
 * or from their values. It only flags; deciding is a human's job.
 */
export type PiiKind = 'citizen_id' | 'old_id' | 'phone' | 'email' | 'personal_name' | 'birth_date';

export type PiiFlag = {
  column: string;
  kind: PiiKind;
  reason: 'header' | 'values';
  /** Sampled non-empty values that look like this kind (for a header flag: non-empty values). */
  matches: number;
  /** One matching value, masked, e.g. 0790****1234. */
  sample?: string;
};

export type PiiScanner = { add(row: string[]): void; flags(): PiiFlag[] };

/** Rows examined; enough to judge a column without scanning 200 MB. */
export const PII_SAMPLE_ROWS = 10_000;
/** Share of a column's non-empty values that must match for a flag by values. */
export const PII_VALUE_THRESHOLD = 0.3;

/** Lower case, without Vietnamese accents, single spaces: "Số ĐT" → "so dt". */
export function foldHeader(header: string): string {
  return fold(header)
    .replace(/[^a-z0-9@]+/g, ' ')
    .trim();
}

// Whole words in the folded header. Ordered: "điện thoại" must not hide "số CCCD" and the like.
const headerHints: Array<{ kind: PiiKind; words: string[] }> = [
  { kind: 'citizen_id', words: ['cccd', 'can cuoc', 'so dinh danh', 'ma dinh danh ca nhan'] },
  { kind: 'old_id', words: ['cmnd', 'cmt', 'chung minh nhan dan', 'chung minh thu'] },
  { kind: 'birth_date', words: ['ngay sinh', 'nam sinh', 'ngay thang nam sinh'] },
  { kind: 'phone', words: ['so dien thoai', 'sdt', 'dtdd', 'dien thoai di dong', 'dien thoai ca nhan'] },
  { kind: 'email', words: ['email', 'e mail', 'thu dien tu'] },
  { kind: 'personal_name', words: ['ho ten', 'ho va ten', 'ten nguoi', 'ten cong dan', 'ten chu ho'] },
];

function kindFromHeader(header: string): PiiKind | undefined {
  const folded = ` ${foldHeader(header)} `;
  return headerHints.find(({ words }) => words.some((word) => folded.includes(` ${word} `)))?.kind;
}

// Province codes that begin a 12-digit CCCD (Circular 07/2016/TT-BCA, 63 provinces, 001–096).
const cccdProvinceCodes = new Set(
  '001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096'.split(
    ' ',
  ),
);

/** Which kind a single value looks like. Dates and names are judged by header only. */
function kindFromValue(value: string): PiiKind | undefined {
  if (/^\d{12}$/.test(value)) return cccdProvinceCodes.has(value.slice(0, 3)) ? 'citizen_id' : undefined;
  if (/^\d{9}$/.test(value)) return 'old_id';
  // Mobiles only: landlines start 02x (0256… for an agency) and are public contact points.
  if (/^(0|\+84)[35789]\d{8}$/.test(value.replace(/[\s.]/g, ''))) return 'phone';
  if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(value)) return 'email';
  return undefined;
}

/** Keep only the ends of a value, enough for the officer to recognise the column. */
export function maskValue(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) return `${value[0]}***${value.slice(at)}`;
  if (/^[\d\s.+]+$/.test(value)) {
    const digits = value.replace(/[\s.]/g, '');
    const keep = digits.length >= 12 ? 4 : digits.length >= 10 ? 3 : 2;
    return `${digits.slice(0, keep)}****${digits.slice(-keep)}`;
  }
  // Names and dates: first letter of each word.
  return value
    .split(/\s+/)
    .map((word) => `${[...word][0] ?? ''}***`)
    .join(' ');
}

type ColumnTally = {
  nonEmpty: number;
  firstValue?: string;
  byKind: Map<PiiKind, { count: number; sample: string }>;
};

export function createPiiScanner(columns: string[]): PiiScanner {
  const tallies: ColumnTally[] = columns.map(() => ({ nonEmpty: 0, byKind: new Map() }));
  let rowsSeen = 0;

  return {
    add(row) {
      if (rowsSeen >= PII_SAMPLE_ROWS) return;
      rowsSeen++;
      for (let i = 0; i < tallies.length; i++) {
        const value = (row[i] ?? '').trim();
        if (value === '') continue;
        const tally = tallies[i];
        tally.nonEmpty++;
        tally.firstValue ??= value;
        const kind = kindFromValue(value);
        if (!kind) continue;
        const entry = tally.byKind.get(kind);
        if (entry) entry.count++;
        else tally.byKind.set(kind, { count: 1, sample: value });
      }
    },

    flags() {
      const flags: PiiFlag[] = [];
      columns.forEach((column, i) => {
        const tally = tallies[i];
        const headerKind = kindFromHeader(column);
        if (headerKind) {
          const sample = tally.byKind.get(headerKind)?.sample ?? tally.firstValue;
          flags.push({
            column,
            kind: headerKind,
            reason: 'header',
            matches: tally.nonEmpty,
            ...(sample ? { sample: maskValue(sample) } : {}),
          });
        }
        for (const [kind, { count, sample }] of tally.byKind) {
          if (kind === headerKind || count < tally.nonEmpty * PII_VALUE_THRESHOLD) continue;
          flags.push({ column, kind, reason: 'values', matches: count, sample: maskValue(sample) });
        }
      });
      return flags;
    },
  };
}
