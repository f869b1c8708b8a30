import { Writable } from 'node:stream';
import { csvToXlsx } from '../../../src/modules/previews/convert.ts';
import { lazyCsv } from './fixtures.ts';
const { stream, stats } = lazyCsv(300_000, 100);
let written = 0; let maxBuf = 0; let maxHeap = 0;
const output = new Writable({ highWaterMark: 16384, write(chunk, _e, cb) { written += chunk.length; maxBuf = Math.max(maxBuf, this.writableLength); maxHeap = Math.max(maxHeap, process.memoryUsage().rss); (process.env.FAST ? cb() : setTimeout(cb, 0)); } });
const r = await csvToXlsx(stream, output);
console.log(r, written, maxBuf, Math.round(maxHeap/1e6), 'MB rss', stats.pulled);
