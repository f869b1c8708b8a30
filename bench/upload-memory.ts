/**
 * Does a large upload stay out of memory? (Issue: publishing, "a 200 MB upload streamed with bounded
 * memory".) Streams a generated CSV over real HTTP to the portal's upload form, then to a bare
 * Fastify + @fastify/multipart server that only pipes the file to /dev/null, and compares their peak
 * RSS. Each server runs in a child process of its own, so one run's heap does not inflate the other's
 * baseline; the child samples its own RSS every 50 ms.
 *
 *   npx tsx bench/upload-memory.ts [sizeMB=200]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const MB = 1024 * 1024;
const SAMPLE_MS = 50;

type Mode = 'app' | 'baseline';
type FromChild =
  | { type: 'ready'; port: number; email?: string; password?: string }
  | { type: 'stats'; baselineRss: number; peakRss: number }
  | { type: 'failed'; message: string };

// ------------------------------------------------------------------------------------------------
// Child side: a server that measures itself.

async function runChild(mode: Mode, sizeMB: number) {
  let sampling: NodeJS.Timeout | undefined;
  let baselineRss = 0;
  let peakRss = 0;
  const send = (message: FromChild) => process.send?.(message);
  let close: () => Promise<void> = async () => {};

  try {
    if (mode === 'app') close = await startApp(sizeMB, send);
    else close = await startBaseline(send);
  } catch (error) {
    send({ type: 'failed', message: String((error as Error).stack ?? error) });
    process.exit(1);
  }

  process.on('message', async (message: { type: 'start' | 'stop' }) => {
    if (message.type === 'start') {
      global.gc?.();
      baselineRss = process.memoryUsage().rss;
      peakRss = baselineRss;
      sampling = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, SAMPLE_MS);
    } else {
      clearInterval(sampling);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      send({ type: 'stats', baselineRss, peakRss });
      await close();
      process.exit(0);
    }
  });
  // If the parent goes away, do not linger.
  process.on('disconnect', async () => {
    await close();
    process.exit(0);
  });
}

async function startApp(sizeMB: number, send: (message: FromChild) => void) {
  const { buildApp } = await import('../src/app.ts');
  const { loadConfig } = await import('../src/config.ts');
  const { openDatabase } = await import('../src/db/client.ts');
  const { runMigrations } = await import('../src/db/migrate.ts');
  const { insertAgencies } = await import('../src/modules/agencies/agencies.repository.ts');
  const { insertTopics } = await import('../src/modules/topics/topics.repository.ts');
  const { insertUser } = await import('../src/modules/accounts/accounts.repository.ts');
  const { hashPassword } = await import('../src/modules/accounts/passwords.ts');
  const { LocalFileStorage } = await import('../src/storage/local-file-storage.ts');

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'portal-bench-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    SEED_DEMO: 'never',
    // Room above the file: the limit is not what is measured here.
    UPLOAD_MAX_MB: String(sizeMB + 50),
  });
  const database = await openDatabase({ dataDir });
  await runMigrations(database);
  const storage = new LocalFileStorage(path.join(dataDir, 'files'));
  const app = await buildApp({ config, database, storage });

  const [agency] = await insertAgencies(database.db, [{ slug: 'so-thu-nghiem', name: 'Sở Thử nghiệm', kind: 'department', email: 'so@example.gov.vn' }]);
  await insertTopics(database.db, [{ slug: 'giao-duc', nameVi: 'Giáo dục', nameEn: 'Education', displayOrder: 0 }]);
  const password = 'Mật-khẩu-đo-bộ-nhớ-đủ-dài';
  const email = 'can-bo@example.gov.vn';
  await insertUser(database.db, {
    email,
    displayName: 'Cán bộ đo',
    role: 'officer',
    agencyId: agency.id,
    passwordHash: await hashPassword(password),
    mustChangePassword: false,
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  send({ type: 'ready', port: address.port, email, password });
  return async () => {
    await app.close();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  };
}

async function startBaseline(send: (message: FromChild) => void) {
  const { default: Fastify } = await import('fastify');
  const { default: fastifyMultipart } = await import('@fastify/multipart');
  const app = Fastify({ logger: false });
  await app.register(fastifyMultipart, { limits: { fileSize: 100 * 1024 * MB, files: 1 } });
  app.post('/upload', async (request, reply) => {
    const part = await request.file();
    if (!part) return reply.code(422).send({ error: 'no file' });
    await pipeline(part.file, createWriteStream('/dev/null'));
    return reply.redirect('/done');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  send({ type: 'ready', port: address.port });
  return async () => {
    await app.close();
  };
}

// ------------------------------------------------------------------------------------------------
// Parent side: the client.

/** Exactly `size` bytes of CSV, produced a chunk at a time: never more than ~64 KB in memory. */
async function* generateCsv(size: number): AsyncGenerator<Buffer> {
  const header = Buffer.from('mã,tên đơn vị,huyện,giá trị,ngày cập nhật\n');
  let written = 0;
  let row = 0;
  const districts = ['Quy Nhơn', 'An Nhơn', 'Tây Sơn', 'Phù Cát', 'Hoài Nhơn', 'Tuy Phước'];
  const emit = (chunk: Buffer) => {
    const room = size - written;
    const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
    written += piece.length;
    return piece;
  };
  yield emit(header);
  while (written < size) {
    const lines: string[] = [];
    for (let i = 0; i < 800; i++, row++) {
      lines.push(`${row},Đơn vị số ${row},${districts[row % districts.length]},${(row * 37) % 100000}.${row % 100},2024-${String((row % 12) + 1).padStart(2, '0')}-15\n`);
    }
    yield emit(Buffer.from(lines.join('')));
  }
}

/** A multipart body streamed from the generator: the form's fields, then the file, then the end. */
async function* multipart(boundary: string, fileName: string, file: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nĐo bộ nhớ\r\n`);
  yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`);
  for await (const chunk of file) yield chunk;
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

function request(port: number, options: http.RequestOptions, body?: AsyncIterable<Buffer> | string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (typeof body === 'string') req.end(body);
    else pipeline(Readable.from(body), req).catch(reject);
  });
}

/** A tiny cookie jar for the sign-in and the draft. */
class Session {
  cookies = new Map<string, string>();
  constructor(private readonly port: number) {}
  private header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  private keep(headers: http.IncomingHttpHeaders) {
    for (const cookie of headers['set-cookie'] ?? []) {
      const [pair] = cookie.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  async get(url: string) {
    const response = await request(this.port, { method: 'GET', path: url, headers: { cookie: this.header() } });
    this.keep(response.headers);
    return response;
  }
  async postForm(url: string, form: Record<string, string>) {
    const body = new URLSearchParams(form).toString();
    const response = await request(this.port, { method: 'POST', path: url, headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' } }, body);
    this.keep(response.headers);
    return response;
  }
  async postStream(url: string, contentType: string, body: AsyncIterable<Buffer>) {
    return request(this.port, { method: 'POST', path: url, headers: { cookie: this.header(), 'content-type': contentType } }, body);
  }
}

const csrfOf = (html: string) => {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
};

function startChild(mode: Mode, sizeMB: number): Promise<{ child: ChildProcess; ready: Extract<FromChild, { type: 'ready' }> }> {
  const child = fork(process.argv[1], ['--child', mode, String(sizeMB)], {
    execArgv: [...process.execArgv, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: FromChild) => {
      if (message.type === 'ready') resolve({ child, ready: message });
      else reject(new Error(message.type === 'failed' ? message.message : 'unexpected message'));
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited early (${code})`)));
  });
}

function stats(child: ChildProcess) {
  return new Promise<Extract<FromChild, { type: 'stats' }>>((resolve) => {
    child.once('message', (message: FromChild) => {
      if (message.type === 'stats') resolve(message);
    });
    child.send({ type: 'stop' });
  });
}

async function measure(mode: Mode, sizeMB: number) {
  const { child, ready } = await startChild(mode, sizeMB);
  try {
    const size = sizeMB * MB;
    const boundary = `----portal-bench-${Date.now().toString(16)}`;
    const contentType = `multipart/form-data; boundary=${boundary}`;
    const session = new Session(ready.port);
    let url = '/upload';
    if (mode === 'app') {
      const login = await session.get('/login');
      const signedIn = await session.postForm('/login', { _csrf: csrfOf(login.text), email: ready.email ?? '', password: ready.password ?? '' });
      if (signedIn.status !== 302) throw new Error(`sign-in failed (${signedIn.status})`);
      const form = await session.get('/admin/datasets/new');
      const topicId = /<option value="([0-9a-f-]{36})"/.exec(form.text)?.[1] ?? '';
      const created = await session.postForm('/admin/datasets', {
        _csrf: csrfOf(form.text),
        title: 'Tập dữ liệu đo bộ nhớ',
        slug: '',
        description: 'Một tệp CSV lớn được sinh ra để đo bộ nhớ khi tải lên.',
        topicId,
        updateFrequency: 'yearly',
        firstPublicationDate: '',
        notes: '',
        tags: '',
        licence: '',
        temporalCoverage: '',
        spatialCoverage: '',
        contact: '',
      });
      const workspaceUrl = String(created.headers.location ?? '');
      if (created.status !== 302 || !workspaceUrl) throw new Error(`draft not created (${created.status})`);
      const workspace = await session.get(workspaceUrl);
      url = (/action="([^"]*\/resources\?_csrf=[^"]*)"/.exec(workspace.text)?.[1] ?? '').replace(/&amp;/g, '&');
      if (!url) throw new Error('no upload form on the workspace');
    }
    child.send({ type: 'start' });
    await new Promise((resolve) => setTimeout(resolve, 3 * SAMPLE_MS));
    const started = process.hrtime.bigint();
    const response = await session.postStream(url, contentType, multipart(boundary, 'bench.csv', generateCsv(size)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (response.status !== 302) throw new Error(`${mode}: upload answered ${response.status}: ${response.text.slice(0, 300)}`);
    const { baselineRss, peakRss } = await stats(child);
    return { size, seconds, baselineRss, peakRss };
  } catch (error) {
    child.kill();
    throw error;
  }
}

async function main() {
  const sizeMB = Number(process.argv[2] ?? 200);
  if (!Number.isInteger(sizeMB) || sizeMB < 1) throw new Error('usage: npx tsx bench/upload-memory.ts [sizeMB=200]');
  // The bench stops by itself, whatever happens.
  setTimeout(() => {
    console.error('bench: took longer than 30 minutes, giving up');
    process.exit(2);
  }, 30 * 60_000).unref();

  const fmt = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
  const app = await measure('app', sizeMB);
  const bare = await measure('baseline', sizeMB);
  const appIncrease = app.peakRss - app.baselineRss;
  const bareIncrease = bare.peakRss - bare.baselineRss;
  console.log(`file size:                       ${fmt(app.size)}`);
  console.log('portal upload (multipart → staging → inspection + SHA-256 → storage → database):');
  console.log(`  upload seconds:                ${app.seconds.toFixed(2)} s`);
  console.log(`  throughput:                    ${(app.size / MB / app.seconds).toFixed(1)} MB/s`);
  console.log(`  RSS before:                    ${fmt(app.baselineRss)}`);
  console.log(`  peak RSS during:               ${fmt(app.peakRss)}`);
  console.log(`  peak increase / file size:     ${(appIncrease / app.size).toFixed(3)}`);
  console.log('bare Fastify + @fastify/multipart piping to /dev/null:');
  console.log(`  upload seconds:                ${bare.seconds.toFixed(2)} s`);
  console.log(`  throughput:                    ${(bare.size / MB / bare.seconds).toFixed(1)} MB/s`);
  console.log(`  RSS before:                    ${fmt(bare.baselineRss)}`);
  console.log(`  peak RSS during:               ${fmt(bare.peakRss)}`);
  console.log(`  peak increase / file size:     ${(bareIncrease / bare.size).toFixed(3)}`);
  console.log('portal vs bare:');
  console.log(`  peak RSS ratio:                ${(app.peakRss / bare.peakRss).toFixed(2)}`);
  console.log(`  peak increase:                 ${fmt(appIncrease)} vs ${fmt(bareIncrease)} (${(appIncrease / Math.max(bareIncrease, 1)).toFixed(2)}×)`);
}

if (process.argv[2] === '--child') {
  void runChild(process.argv[3] as Mode, Number(process.argv[4]));
} else {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
