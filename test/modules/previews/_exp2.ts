import { Writable, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
const output = new Writable({ highWaterMark: 16384, write(chunk, _e, cb) { setTimeout(cb, 0); } });
const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: false, useSharedStrings: false });
const sheet = wb.addWorksheet('x');
for (let i = 0; i < 300_000; i++) {
  sheet.addRow([i, `Xã Chiềng ${i}`, i * 3]).commit();
  if (i % 20000 === 0) {
    const s = (sheet as any).stream;
    const e = s?.pipes?.[0];
    (globalThis as any).gc?.();
    console.log(i, !!s, s?.pipes?.length, e?.constructor?.name, e?.writableLength, e?.writableNeedDrain, s?.buffers?.length, Math.round(process.memoryUsage().heapUsed / 1e6), Math.round(process.memoryUsage().arrayBuffers / 1e6), e?._writableState?.length, e?._readableState?.length);
    await new Promise((r) => setImmediate(r));
  }
}
sheet.commit(); await wb.commit();
