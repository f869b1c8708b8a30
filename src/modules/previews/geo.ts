import type { Readable } from 'node:stream';
import { foldHeader } from '../tabular/pii-scan.ts';
import { type Column, type CsvReadOptions, openCsvTable, uniqueNames } from './csv-rows.ts';
import { parseCoordinate } from './numbers.ts';

/**
 * Maps from tables with coordinate columns. Columns are found by name and confirmed by their values
 * (decimal degrees), so VN-2000 metres (x ≈ 2 300 000) or swapped columns are not drawn at sea.
 */

// Folded names (lower case, no accents): "Vĩ độ" → "vi do".
const latNames = new Set(['vi do', 'vido', 'lat', 'latitude', 'toa do vi do']);
const lonNames = new Set(['kinh do', 'kinhdo', 'lon', 'lng', 'long', 'longitude', 'toa do kinh do']);
/** x/y may be either way round: the values decide. */
const eitherNames = new Set(['x', 'y', 'toa do x', 'toa do y']);

/** More than this share of the sampled rows that fill the columns must hold a valid pair. */
const MIN_VALID_SHARE = 0.5;

type Candidate = { name: string; index: number; role: 'lat' | 'lon' | 'either' };

export function detectCoordinateColumns(
  columns: Column[],
  sampleRows: string[][],
): { lat: string; lon: string } | null {
  const candidates: Candidate[] = [];
  columns.forEach((column, index) => {
    // A date or yes/no column is never a coordinate, whatever its name.
    if (column.type === 'date' || column.type === 'boolean' || column.type === 'empty') return;
    const folded = foldHeader(column.name);
    const role = latNames.has(folded) ? 'lat' : lonNames.has(folded) ? 'lon' : eitherNames.has(folded) ? 'either' : null;
    if (role) candidates.push({ name: column.name, index, role });
  });

  let best: { lat: string; lon: string; score: number } | null = null;
  for (const lat of candidates) {
    for (const lon of candidates) {
      if (lat === lon || lat.role === 'lon' || lon.role === 'lat') continue;
      const { valid, inVietnam, rows } = scorePair(sampleRows, lat.index, lon.index);
      if (rows === 0 || valid <= rows * MIN_VALID_SHARE) continue;
      // Points in Vietnam weigh most (that also orients x/y); explicit names break ties.
      const named = lat.role === 'lat' && lon.role === 'lon' ? 0.5 : 0;
      const score = (2 * inVietnam) / rows + valid / rows + named;
      if (!best || score > best.score) best = { lat: lat.name, lon: lon.name, score };
    }
  }
  return best && { lat: best.lat, lon: best.lon };
}

function scorePair(rows: string[][], latIndex: number, lonIndex: number) {
  let valid = 0;
  let inVietnam = 0;
  let counted = 0;
  for (const cells of rows) {
    const latText = cells[latIndex] ?? '';
    const lonText = cells[lonIndex] ?? '';
    if (latText.trim() === '' && lonText.trim() === '') continue; // a row without a place
    counted++;
    const point = coordinates(latText, lonText);
    if (!point) continue;
    valid++;
    if (point.lat >= 8 && point.lat <= 24 && point.lon >= 102 && point.lon <= 110) inVietnam++;
  }
  return { valid, inVietnam, rows: counted };
}

function coordinates(latText: string, lonText: string): { lat: number; lon: number } | undefined {
  const lat = parseCoordinate(latText);
  const lon = parseCoordinate(lonText);
  if (lat === undefined || lon === undefined) return undefined;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  if (lat === 0 && lon === 0) return undefined; // "0,0" is a missing value, not the Gulf of Guinea
  return { lat, lon };
}

export type PointFeature = {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, string>;
};
export type FeatureCollection = { type: 'FeatureCollection'; features: PointFeature[] };
export type GeoJsonResult = {
  featureCollection: FeatureCollection;
  /** Rows without a valid coordinate pair. */
  skippedRows: number;
  /** maxFeatures was reached; the rest of the file was not read. */
  truncated: boolean;
  error?: 'unknown_column';
};

/** Properties kept per point: the columns a map popup can show, not a whole wide table. */
const MAX_PROPERTIES = 100;

/** A point per row, the other columns as (string) properties; reading stops at maxFeatures. */
export async function toGeoJson(
  input: Readable,
  lat: string,
  lon: string,
  options: CsvReadOptions & { maxFeatures?: number } = {},
): Promise<GeoJsonResult> {
  const maxFeatures = options.maxFeatures ?? 5000;
  const table = await openCsvTable(input, 0, options);
  const latIndex = table.header.indexOf(lat.trim());
  const lonIndex = table.header.indexOf(lon.trim());
  const featureCollection: FeatureCollection = { type: 'FeatureCollection', features: [] };
  if (latIndex < 0 || lonIndex < 0) {
    await table.close();
    return { featureCollection, skippedRows: 0, truncated: false, error: 'unknown_column' };
  }
  const names = uniqueNames(table.header);
  // 5,000 points of a 30,000-column file would carry 150 million properties: keep the first ones.
  const others = names.map((_, i) => i).filter((i) => i !== latIndex && i !== lonIndex).slice(0, MAX_PROPERTIES);
  let skippedRows = 0;
  let truncated = false;
  for await (const cells of table.rows) {
    const point = coordinates(cells[latIndex] ?? '', cells[lonIndex] ?? '');
    if (!point) {
      skippedRows++;
      continue;
    }
    if (featureCollection.features.length === maxFeatures) {
      truncated = true;
      break; // destroys the input
    }
    // A prototype-free object: a column named "__proto__" is just a property.
    const properties: Record<string, string> = Object.create(null);
    for (const i of others) properties[names[i]] = cells[i] ?? '';
    featureCollection.features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [point.lon, point.lat] }, // GeoJSON order: lon, lat
      properties,
    });
  }
  return { featureCollection, skippedRows, truncated };
}
