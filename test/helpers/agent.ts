import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A tiny browser over app.inject: keeps cookies, remembers the last CSRF token a page gave it and
 * sends it with forms, as a person's browser would.
 */
export class Agent {
  cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(
    readonly app: FastifyInstance,
    private readonly ip = '127.0.0.1',
  ) {}

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()) || cookie.maxAge === 0) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrfToken = token;
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.remember(
      await this.app.inject({ method: 'GET', url, cookies: Object.fromEntries(this.cookies), headers, remoteAddress: this.ip }),
    );
  }

  /** Posts a form; fetches a CSRF token first when none has been seen yet (unless `csrf: false`). */
  async post(url: string, form: Record<string, string> = {}, options: { csrf?: boolean } = {}) {
    if (options.csrf !== false && !this.csrfToken) {
      // /login redirects a signed-in person; the password page always carries a form.
      await this.get('/login');
      if (!this.csrfToken) await this.get('/account/password');
    }
    const body = new URLSearchParams({ ...(options.csrf === false ? {} : { _csrf: this.csrfToken ?? '' }), ...form }).toString();
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: Object.fromEntries(this.cookies),
        remoteAddress: this.ip,
      }),
    );
  }

  async signIn(email: string, password: string) {
    const response = await this.post('/login', { email, password });
    if (response.statusCode !== 302) throw new Error(`sign-in of ${email} failed with ${response.statusCode}`);
    // Sign-in rotates the CSRF secret: the next form needs a token from a page seen after it.
    this.csrfToken = null;
    return response;
  }
}
