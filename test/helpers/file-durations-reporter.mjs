/**
 * A test reporter (node:test) that writes how long each test file ran, as JSON {file: seconds}, for
 * test/run-tests.ts: it starts the slowest files first, so that the last ones to finish are short and
 * the parallel processes end together. Events of a file arrive while its process runs; from its first
 * to its last event is its time, less the second or so its process takes to start.
 */
// Plain JavaScript: node loads reporters before tsx's hooks apply.
import path from 'node:path';

/** @param {AsyncIterable<{ type: string, data?: { file?: string } }>} source */
export default async function* fileDurations(source) {
  /** @type {Map<string, { first: number, last: number }>} */
  const spans = new Map();
  for await (const event of source) {
    const file = event.data?.file;
    // A file is enqueued when the run starts, long before its process does.
    if (!file || event.type === 'test:enqueue') continue;
    const now = Date.now();
    const span = spans.get(file);
    if (span) span.last = now;
    else spans.set(file, { first: now, last: now });
  }
  const seconds = Object.fromEntries(
    [...spans]
      .map(([file, span]) => [path.relative(process.cwd(), file), Math.round((span.last - span.first) / 100) / 10])
      .sort((a, b) => b[1] - a[1]),
  );
  yield `${JSON.stringify(seconds, null, 1)}\n`;
}
