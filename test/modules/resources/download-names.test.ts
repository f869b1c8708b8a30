import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'content-disposition';
import { buildDataset } from '../../helpers/factories.ts';
import { buildTestApp } from '../../helpers/app.ts';

// Issue 11: the hand-built header left an apostrophe unencoded inside filename*=UTF-8''…, where it is
// the delimiter, so browsers read a name cut short. MISSION: files keep the names agencies gave them.

test('a download named with an apostrophe and Vietnamese letters keeps its exact name', async (t) => {
  const { app, db, storage } = await buildTestApp(t);
  const fileName = "Báo cáo của Sở Y tế's \"2025\".csv";
  const built = await buildDataset(db, storage, { files: [{ fileName, content: 'năm,số ca\n2025,12\n' }] });
  const response = await app.inject({ method: 'GET', url: `/dataset/${built.dataset.slug}/resource/${built.resources[0].id}/download` });
  assert.equal(response.statusCode, 200);
  const header = response.headers['content-disposition'] as string;
  assert.match(header, /filename\*=UTF-8''B%C3%A1o%20c%C3%A1o%20c%E1%BB%A7a%20S%E1%BB%9F%20Y%20t%E1%BA%BF%27s%20%222025%22\.csv$/);
  const parsed = parse(header);
  assert.equal(parsed.type, 'attachment');
  assert.equal(parsed.parameters.filename, fileName);
  // The ASCII fallback old clients (and curl -J) use is the same name without its accents.
  assert.match(header, /^attachment; filename="bao cao cua so y te's \\"2025\\"\.csv"/);
});
