import type { Readable } from 'node:stream';
import { translator } from '../../i18n/i18n.ts';
import { escapeXml } from '../../lib/xml.ts';
import { type CsvReadOptions, openCsvTable } from './csv-rows.ts';
import { guessNumberStyle, parseNumber } from './numbers.ts';

/**
 * Charts rendered on the server as SVG, so they work without JavaScript. The site's CSP forbids
 * inline styles: only presentation attributes (fill, stroke, font-size) and class names are used,
 * and the page's CSS may restyle the classes.
 */

export type ChartPoint = { x: string; y: number };
export type ChartInput = {
  kind: 'bar' | 'line';
  title: string;
  xLabel: string;
  yLabel: string;
  points: ChartPoint[];
  locale: 'vi' | 'en';
};

const WIDTH = 800;
const HEIGHT = 450;
/** More bars than this are unreadable; the first ones are drawn and a note says so. */
const MAX_BARS = 50;
const MAX_LINE_POINTS = 500;
const LABEL_CHARS = 18;
const CHAR_WIDTH = 7; // rough width of a character at font-size 12, for layout only
const BAR_FILL = '#1f6fb2';
const NEGATIVE_FILL = '#c0392b';

export function renderChartSvg(input: ChartInput): string {
  const t = translator(input.locale);
  const id = `chart-${hash(JSON.stringify(input))}`;
  const valid = input.points.filter((point) => Number.isFinite(point.y));
  const limit = input.kind === 'bar' ? MAX_BARS : MAX_LINE_POINTS;
  const points = valid.slice(0, limit);
  const note = valid.length > limit ? t('previews.chart_truncated', { shown: limit, total: valid.length }) : undefined;
  const format = numberFormat(input.locale);

  let desc = t('previews.chart_no_data');
  if (points.length > 0) {
    const lowest = points.reduce((a, b) => (b.y < a.y ? b : a));
    const highest = points.reduce((a, b) => (b.y > a.y ? b : a));
    desc = t('previews.chart_summary', {
      kind: t(`previews.chart_${input.kind}`),
      x: input.xLabel,
      y: input.yLabel,
      count: points.length,
      min: `${lowest.x} (${format(lowest.y)})`,
      max: `${highest.x} (${format(highest.y)})`,
    });
    if (note) desc += ` ${note}`;
  }
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-${input.kind}" width="${WIDTH}" height="${HEIGHT}"` +
      ` viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="sans-serif">`,
    `<title id="${id}-title">${escapeXml(input.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(desc)}</desc>`,
    `<text class="chart-title" x="${WIDTH / 2}" y="28" text-anchor="middle" font-size="18" font-weight="bold" fill="currentColor">${escapeXml(input.title)}</text>`,
  ];
  if (points.length === 0) {
    parts.push(
      `<text class="chart-empty" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" font-size="16" fill="currentColor">${escapeXml(t('previews.chart_no_data'))}</text>`,
    );
  } else {
    parts.push(plot(input, points, format, note));
  }
  parts.push('</svg>');
  return parts.join('\n');
}

function plot(input: ChartInput, points: ChartPoint[], format: (n: number) => string, note?: string): string {
  const ticks = niceTicks(Math.min(0, ...points.map((p) => p.y)), Math.max(0, ...points.map((p) => p.y)));
  const tickFormat = numberFormat(input.locale, decimalsOf(ticks[1] - ticks[0]));
  const tickLabels = ticks.map(tickFormat);

  // Layout: room on the left for the widest tick label, below for the x labels (rotated if long).
  const labels = points.map((point) => truncate(point.x, LABEL_CHARS));
  const longest = Math.max(...labels.map((label) => Array.from(label).length));
  const tickRoom = 40 + Math.max(...tickLabels.map((label) => label.length)) * CHAR_WIDTH;
  const right = WIDTH - 20;
  const top = 50;
  let left = tickRoom;
  let slot = (right - left) / points.length;
  const rotate = longest * CHAR_WIDTH > slot - 4;
  // A label rotated by 45° reaches left and down by ~0.71 of its length: keep the first one inside.
  const rotatedReach = longest * CHAR_WIDTH * 0.71;
  if (rotate) {
    left = Math.max(tickRoom, rotatedReach + 8 - slot / 2);
    slot = (right - left) / points.length;
  }
  const bottom = HEIGHT - (note ? 20 : 0) - (rotate ? 50 + rotatedReach : 50);
  // With many points, only every step-th label is written (all are in the tooltips).
  const labelStep = Math.max(1, Math.ceil((rotate ? 18 : longest * CHAR_WIDTH + 8) / slot));

  const low = ticks[0];
  const high = ticks[ticks.length - 1];
  const yOf = (value: number) => round(bottom - ((value - low) / (high - low)) * (bottom - top));
  const xOf = (i: number) => round(left + slot * (i + 0.5));
  const out: string[] = [];

  ticks.forEach((tick, i) => {
    const y = yOf(tick);
    const stroke = tick === 0 ? '#57606a' : '#d0d7de';
    out.push(`<line class="chart-grid" x1="${left}" x2="${right}" y1="${y}" y2="${y}" stroke="${stroke}"/>`);
    out.push(
      `<text class="chart-tick" x="${left - 6}" y="${y + 4}" text-anchor="end" font-size="12" fill="currentColor">${escapeXml(tickLabels[i])}</text>`,
    );
  });

  if (input.kind === 'bar') {
    const width = round(Math.max(1, slot * 0.7));
    points.forEach((point, i) => {
      const y0 = yOf(0);
      const y1 = yOf(point.y);
      const negative = point.y < 0;
      out.push(
        `<rect class="chart-bar${negative ? ' chart-bar-negative' : ''}" x="${round(xOf(i) - width / 2)}" y="${Math.min(y0, y1)}"` +
          ` width="${width}" height="${round(Math.abs(y1 - y0))}" fill="${negative ? NEGATIVE_FILL : BAR_FILL}">` +
          `<title>${escapeXml(`${point.x}: ${format(point.y)}`)}</title></rect>`,
      );
    });
  } else {
    const coordinates = points.map((point, i) => `${xOf(i)},${yOf(point.y)}`).join(' ');
    out.push(`<polyline class="chart-line" points="${coordinates}" fill="none" stroke="${BAR_FILL}" stroke-width="2"/>`);
    points.forEach((point, i) => {
      out.push(
        `<circle class="chart-point" cx="${xOf(i)}" cy="${yOf(point.y)}" r="3" fill="${BAR_FILL}">` +
          `<title>${escapeXml(`${point.x}: ${format(point.y)}`)}</title></circle>`,
      );
    });
  }

  labels.forEach((label, i) => {
    if (i % labelStep !== 0) return;
    const x = xOf(i);
    const y = bottom + 16;
    const placement = rotate
      ? `x="${x}" y="${y}" text-anchor="end" transform="rotate(-45 ${x} ${y})"`
      : `x="${x}" y="${y}" text-anchor="middle"`;
    out.push(`<text class="chart-x-label" ${placement} font-size="12" fill="currentColor">${escapeXml(label)}</text>`);
  });

  const middle = round((top + bottom) / 2);
  out.push(
    `<text class="chart-axis-title" x="16" y="${middle}" text-anchor="middle" transform="rotate(-90 16 ${middle})" font-size="13" fill="currentColor">${escapeXml(input.yLabel)}</text>`,
    `<text class="chart-axis-title" x="${round((left + right) / 2)}" y="${HEIGHT - (note ? 26 : 8)}" text-anchor="middle" font-size="13" fill="currentColor">${escapeXml(input.xLabel)}</text>`,
  );
  if (note) {
    out.push(
      `<text class="chart-note" x="${right}" y="${HEIGHT - 6}" text-anchor="end" font-size="12" fill="currentColor">${escapeXml(note)}</text>`,
    );
  }
  return out.join('\n');
}

/** About five ticks at 1, 2 or 5 × 10^k, covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (min === max) max = min + 1;
  const rough = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const norm = rough / magnitude;
  // Rounded to the nearest nice step, not up: 115 000 gets 0–120 000 by 20 000, not 0–150 000.
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  const ticks: number[] = [];
  // Multiplying, not adding, so 0.1 + 0.2 rounding errors do not pile up.
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

function decimalsOf(step: number): number {
  return Math.min(10, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
}

function numberFormat(locale: 'vi' | 'en', decimals = 2): (value: number) => string {
  const intl = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: decimals });
  return (value) => intl.format(value);
}

/** Cut by characters, not UTF-16 units, so a label never ends in half an emoji. */
function truncate(text: string, max: number): string {
  const chars = Array.from(text.trim());
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** FNV-1a: a stable id, so two different charts on one page do not share title ids. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

// ---------------------------------------------------------------------------------------------
// Data for a chart from a CSV

export type ChartData = {
  points: ChartPoint[];
  /** Rows not counted: empty x, y empty or not a number, or an x beyond maxPoints. */
  skippedRows: number;
  /** More distinct x values than maxPoints: the later ones were not kept. */
  truncated?: boolean;
  error?: 'unknown_column' | 'not_numeric';
};

const DEFAULT_MAX_POINTS = 500;

/**
 * Sum `yColumn` by `xColumn` over the whole file, streamed: a table by year and district gives one
 * total per year. Numbers may be Vietnamese (1.234,5) or English (1,234.5); the style is chosen
 * from the first rows. x values that are all integers (years) are sorted; others keep file order.
 * If at least half the non-empty y values are not numbers, the column is `not_numeric`.
 */
export async function aggregateForChart(
  input: Readable,
  xColumn: string,
  yColumn: string,
  options: CsvReadOptions & { maxPoints?: number } = {},
): Promise<ChartData> {
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const table = await openCsvTable(input, 1000, options);
  const xi = findColumn(table.header, xColumn);
  const yi = findColumn(table.header, yColumn);
  if (xi < 0 || yi < 0) {
    await table.close();
    return { points: [], skippedRows: 0, error: 'unknown_column' };
  }
  const style = guessNumberStyle(table.sample.map((cells) => cells[yi] ?? ''));
  const sums = new Map<string, number>();
  let skippedRows = 0;
  let nonEmpty = 0;
  let numeric = 0;
  let truncated = false;
  for await (const cells of table.rows) {
    const x = (cells[xi] ?? '').trim();
    const raw = cells[yi] ?? '';
    if (raw.trim() !== '') nonEmpty++;
    const y = parseNumber(raw, style);
    if (y !== undefined) numeric++;
    if (x === '' || y === undefined) {
      skippedRows++;
      continue;
    }
    const sum = sums.get(x);
    if (sum === undefined && sums.size >= maxPoints) {
      truncated = true;
      skippedRows++;
      continue;
    }
    sums.set(x, (sum ?? 0) + y);
  }
  if (nonEmpty > 0 && numeric * 2 < nonEmpty) return { points: [], skippedRows, error: 'not_numeric' };

  // toPrecision(15) hides binary rounding (0.1 + 0.2) without touching real digits.
  const points = [...sums].map(([x, y]) => ({ x, y: Number(y.toPrecision(15)) }));
  if (points.every((point) => /^[+-]?\d+$/.test(point.x))) points.sort((a, b) => Number(a.x) - Number(b.x));
  return truncated ? { points, skippedRows, truncated } : { points, skippedRows };
}

/** Exact header first, then ignoring case and Unicode composition (NFC/NFD Vietnamese). */
function findColumn(header: string[], name: string): number {
  const exact = header.indexOf(name.trim());
  if (exact >= 0) return exact;
  const fold = (text: string) => text.trim().normalize('NFC').toLowerCase();
  return header.map(fold).indexOf(fold(name));
}
