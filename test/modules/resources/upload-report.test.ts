import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toWindows1258 } from '../../helpers/windows-1258.ts';
import { buildOffice, createDraftThroughForm, pageText, uploadFile } from '../datasets/publishing-helpers.ts';

// Seen in a browser: the upload report did not say which separator it found, named encodings by
// code ("windows-1258"), dropped empty rows without a word and never mentioned cells Excel would run.

async function uploaded(t: Parameters<typeof buildOffice>[0], fileName: string, content: Buffer | string) {
  const office = await buildOffice(t);
  const { datasetId } = await createDraftThroughForm(office.officer, office.topic.id);
  const response = await uploadFile(office.officer, office.app, datasetId, { fileName, content });
  assert.equal(response.statusCode, 302, pageText(response.body).slice(0, 300));
  return { office, datasetId, workspace: pageText((await office.officer.get(`/admin/datasets/${datasetId}`)).body) };
}

test('the upload report names the separator, the encoding in words and counts the empty rows it left out', async (t) => {
  const csv = 'Tên đơn vị;Huyện\r\nTrường Tiểu học Nguyễn Huệ;Tây Sơn\r\n;\r\n\r\nBệnh viện Đa khoa tỉnh;Quy Nhơn\r\n;\r\n';
  const { workspace } = await uploaded(t, 'don-vi.csv', toWindows1258(csv));
  assert.match(workspace, /Dấu phân cách cột: dấu chấm phẩy \( ; \)/);
  assert.match(workspace, /Windows-1258 \(tiếng Việt cũ\)/);
  assert.match(workspace, /Đã bỏ 3 dòng trống/);
});

test('a file’s final line break is not reported as an empty row', async (t) => {
  const { workspace } = await uploaded(t, 'truong.csv', 'Tên,Huyện\nTHPT Quốc Học,Quy Nhơn\n');
  assert.match(workspace, /dấu phẩy/);
  assert.doesNotMatch(workspace, /dòng trống/);
});

test('cells that start with =, +, - or @ are pointed out at upload and again at review', async (t) => {
  const csv = 'Tên,Ghi chú,Chênh lệch\nA,=HYPERLINK("http://x.example";"bấm"),-12.5\nB,@SUM(1),-\nC,bình thường,+3\n';
  const { office, datasetId, workspace } = await uploaded(t, 'cong-thuc.csv', csv);
  assert.match(workspace, /Có ô có thể bị Excel chạy như công thức/);
  assert.match(workspace, /2 ô bắt đầu bằng =, \+, - hoặc @ \(ô đầu tiên: dòng 2, cột “Ghi chú”\)/, 'negative numbers and a lone “-” are not formulas');
  await office.officer.post(`/admin/datasets/${datasetId}/submit`);
  const review = pageText((await office.leader.get(`/admin/datasets/${datasetId}/review`)).body);
  assert.match(review, /2 ô bắt đầu bằng =, \+, - hoặc @/);
});
