import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { inspectCsv } from '../../../src/modules/tabular/csv-inspect.ts';

/** A CSV of `rowCount` rows, generated chunk by chunk as the parser asks for it. */
function generatedCsv(rowCount: number): Readable {
  let next = 0;
  return new Readable({
    read() {
      if (next === 0) this.push('STT,Xã,Số tiền,Ngày,Ghi chú\n');
      const lines: string[] = [];
      for (const end = Math.min(next + 2000, rowCount); next < end; next++) {
        lines.push(`${next + 1},Xã Phước ${next % 97},"${(next * 1.5).toFixed(1)}",01/02/2024,Dòng số ${next}\n`);
      }
      this.push(lines.join(''));
      if (next >= rowCount) this.push(null);
    },
  });
}

test('a ~30 MB CSV is inspected as a stream', async () => {
  const rowCount = 500_000; // about 62 bytes a row: ~31 MB
  const report = await inspectCsv(generatedCsv(rowCount));
  assert.equal(report.rowCount, rowCount);
  assert.deepEqual(
    report.columns.map((column) => column.type),
    ['integer', 'text', 'number', 'date', 'text'],
  );
  assert.equal(report.previewRows.length, 20);
  assert.deepEqual(report.problems, []);
});
