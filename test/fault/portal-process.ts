import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalFileStorage } from '../../src/storage/local-file-storage.ts';
import { createTestDatabase } from '../helpers/database.ts';

/**
 * The portal as a real operating-system process (`node --import tsx src/server.ts`, production mode),
 * for fault runs that kill it with SIGKILL: an in-process app cannot die half-way as a crashed node
 * does, with its sockets, worker threads and transactions cut at once.
 */
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface PortalProcess {
  child: ChildProcess;
  port: number;
  base: string;
  /** Everything the process wrote (its warnings and errors), to show when something fails. */
  output(): string;
  /** SIGKILL, as the kernel's OOM killer or a pulled plug: no hook runs. Resolves when it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM and wait (the graceful stop), or SIGKILL after 20 s. */
  stop(): Promise<void>;
}

export interface PortalOptions {
  databaseUrl: string;
  dataDir: string;
  env?: Record<string, string>;
  /** Seconds to wait for /readyz (a loaded 2-core machine starts tsx slowly). */
  startSeconds?: number;
}

export async function startPortal(options: PortalOptions): Promise<PortalProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: rootDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TMPDIR: process.env.TMPDIR ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'never',
      HOST: '127.0.0.1',
      PORT: String(port),
      BASE_URL: base,
      DATA_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl,
      PAGE_CACHE_SECONDS: '0',
      ...(process.env.FAULT_NODE_OPTIONS ? { NODE_OPTIONS: process.env.FAULT_NODE_OPTIONS } : {}),
      ...options.env,
    },
  });
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const portal: PortalProcess = {
    child,
    port,
    base,
    output: () => output,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const until = Date.now() + (options.startSeconds ?? 120) * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the portal exited with ${child.exitCode} before it was ready:\n${output}`);
    try {
      const response = await fetch(`${base}/readyz`);
      await response.arrayBuffer();
      if (response.status === 200) return portal;
    } catch {}
    if (Date.now() > until) {
      await portal.kill9();
      throw new Error(`the portal was not ready within ${options.startSeconds ?? 120} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Polls until `check` gives a value (not false), or throws after `seconds`. */
export async function eventually<T>(check: () => Promise<T | false>, seconds = 60, everyMs = 100): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A person's browser over real HTTP: keeps cookies and the last CSRF token a page carried. */
export class HttpBrowser {
  cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(public base: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(url: string): Promise<{ status: number; body: string; headers: Headers }> {
    const response = await fetch(`${this.base}${url}`, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.remember(response);
    const body = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.csrfToken = token;
    return { status: response.status, body, headers: response.headers };
  }

  async post(url: string, form: Record<string, string>): Promise<{ status: number; location: string | null }> {
    const response = await fetch(`${this.base}${url}`, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.csrfToken ?? '', ...form }).toString(),
      redirect: 'manual',
    });
    this.remember(response);
    await response.arrayBuffer();
    return { status: response.status, location: response.headers.get('location') };
  }

  async signIn(email: string, password: string) {
    await this.get('/login');
    const response = await this.post('/login', { email, password });
    if (response.status !== 302) throw new Error(`sign-in of ${email} answered ${response.status}`);
    this.csrfToken = null;
  }
}

/**
 * What a kill -9 run needs around the process: a PostgreSQL database of its own, a data directory the
 * restarted process finds again, and cleanup (the last process killed, the database and folder gone).
 * `start()` launches a portal on both; the run keeps the handle it kills.
 */
export async function faultWorkspace(t: { after(fn: () => Promise<void>): void }, name: string) {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `portal-fault-${name}-`));
  const storage = new LocalFileStorage(path.join(dataDir, 'files'));
  let latest: PortalProcess | undefined;
  t.after(async () => {
    await latest?.kill9();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  /** A portal on this workspace; `databaseUrl` replaces the database's own address (a relay to cut). */
  const start = async (options: Partial<Pick<PortalOptions, 'databaseUrl' | 'env'>> = {}): Promise<PortalProcess> => {
    latest = await startPortal({ databaseUrl: database.connectionString ?? '', dataDir, ...options });
    return latest;
  };
  return { database, db: database.db, dataDir, storage, start };
}
