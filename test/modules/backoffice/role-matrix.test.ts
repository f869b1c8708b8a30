import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { users } from '../../../src/modules/accounts/accounts.table.ts';
import { agencies } from '../../../src/modules/agencies/agencies.table.ts';
import { Agent } from '../../helpers/agent.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { buildAgency, buildDataset, buildUser } from '../../helpers/factories.ts';
import { datasetAbilities, datasetPolicies, type DatasetVerb, datasetVerbs } from '../../../src/modules/datasets/datasets.policy.ts';
import { feedbackPolicies, type FeedbackVerb } from '../../../src/modules/feedback/feedback.policy.ts';
import { buildOffice, datasetFormValues, draftAndSubmit, pageText, revisionsOf } from '../datasets/publishing-helpers.ts';
import { agentFor, auditRows, buildWorld, countRows, settingsForm, strongPassword, userById } from '../accounts/support.ts';

/*
 * Role × route matrix (782 Art. 5.1–5.2): DOIT manages agencies, accounts, the audit log and the
 * settings; an officer or a leader enters only the dashboard of their own agency and their own
 * password page. Every /admin and /account route of the app is listed here; a test below fails if
 * a new one appears without a row.
 */

type Role = 'anonymous' | 'officerA' | 'leaderA' | 'officerB' | 'admin';

async function buildMatrixWorld(testApp: TestApp) {
  const world = await buildWorld(testApp);
  const { db } = testApp;
  // Objects the DOIT actions act on, apart from the people making the requests.
  const targetAgency = await buildAgency(db, { name: 'UBND huyện Vân Canh', slug: 'ubnd-huyen-van-canh', kind: 'district_committee' });
  const inactiveAgency = await buildAgency(db, { name: 'Sở Ngoại vụ', slug: 'so-ngoai-vu', active: false });
  const emptyAgency = await buildAgency(db, { name: 'Sở Tư pháp', slug: 'so-tu-phap' });
  const targetAccount = await buildUser(db, { role: 'officer', agency: targetAgency, email: 'bi-khoa@example.gov.vn' });
  const disabledAccount = await buildUser(db, { role: 'leader', agency: targetAgency, email: 'da-khoa@example.gov.vn', disabledAt: new Date() });
  const resetAccount = await buildUser(db, { role: 'leader', agency: emptyAgency, email: 'dat-lai@example.gov.vn' });
  return { ...world, targetAgency, inactiveAgency, emptyAgency, targetAccount, disabledAccount, resetAccount };
}
type MatrixWorld = Awaited<ReturnType<typeof buildMatrixWorld>>;

/** What a role gets: an exact status, and for redirects where they lead. */
interface Outcome {
  status: number;
  location?: string;
}

interface RouteCase {
  method: 'GET' | 'POST';
  /** The route as Fastify knows it, to check that the matrix is complete. */
  route: string;
  url(w: MatrixWorld): string;
  form?(w: MatrixWorld): Record<string, string>;
  /** Outcome for DOIT staff. */
  admin: Outcome;
  /** Outcome for officers and leaders, of either agency. */
  agency: Outcome;
}

const forbidden: Outcome = { status: 403 };

const routes: RouteCase[] = [
  { method: 'GET', route: '/admin', url: () => '/admin', admin: { status: 200 }, agency: { status: 200 } },
  { method: 'GET', route: '/admin/agencies', url: () => '/admin/agencies', admin: { status: 200 }, agency: forbidden },
  { method: 'GET', route: '/admin/agencies/new', url: () => '/admin/agencies/new', admin: { status: 200 }, agency: forbidden },
  { method: 'GET', route: '/admin/agencies/:id/edit', url: (w) => `/admin/agencies/${w.agencyA.id}/edit`, admin: { status: 200 }, agency: forbidden },
  { method: 'GET', route: '/admin/accounts', url: () => '/admin/accounts', admin: { status: 200 }, agency: forbidden },
  { method: 'GET', route: '/admin/accounts/new', url: () => '/admin/accounts/new', admin: { status: 200 }, agency: forbidden },
  { method: 'GET', route: '/admin/audit', url: () => '/admin/audit', admin: { status: 200 }, agency: forbidden },
  { method: 'GET', route: '/admin/settings', url: () => '/admin/settings', admin: { status: 200 }, agency: forbidden },
  { method: 'GET', route: '/admin/jobs', url: () => '/admin/jobs', admin: { status: 200 }, agency: forbidden },
  // No job has failed in this world: DOIT reaches the verb and hears that there is no such job.
  { method: 'POST', route: '/admin/jobs/:id/retry', url: () => '/admin/jobs/00000000-0000-4000-8000-000000000017/retry', admin: { status: 404 }, agency: forbidden },
  { method: 'POST', route: '/admin/jobs/:id/discard', url: () => '/admin/jobs/00000000-0000-4000-8000-000000000017/discard', form: () => ({ confirm: 'yes' }), admin: { status: 404 }, agency: forbidden },
  { method: 'GET', route: '/account', url: () => '/account', admin: { status: 302, location: '/account/password' }, agency: { status: 302, location: '/account/password' } },
  { method: 'GET', route: '/account/password', url: () => '/account/password', admin: { status: 200 }, agency: { status: 200 } },
  {
    method: 'POST',
    route: '/admin/agencies',
    url: () => '/admin/agencies',
    form: () => ({ name: 'Ban Quản lý Khu kinh tế', kind: 'department' }),
    admin: { status: 302, location: '/admin/agencies' },
    agency: forbidden,
  },
  {
    method: 'POST',
    route: '/admin/agencies/:id',
    url: (w) => `/admin/agencies/${w.targetAgency.id}`,
    form: (w) => ({ name: 'UBND huyện Vân Canh (đã sửa)', kind: 'district_committee', slug: w.targetAgency.slug }),
    admin: { status: 302, location: '/admin/agencies' },
    agency: forbidden,
  },
  {
    method: 'POST',
    route: '/admin/agencies/:id/deactivate',
    url: (w) => `/admin/agencies/${w.targetAgency.id}/deactivate`,
    admin: { status: 302, location: '/admin/agencies' },
    agency: forbidden,
  },
  {
    method: 'POST',
    route: '/admin/agencies/:id/reactivate',
    url: (w) => `/admin/agencies/${w.inactiveAgency.id}/reactivate`,
    admin: { status: 302, location: '/admin/agencies' },
    agency: forbidden,
  },
  {
    method: 'POST',
    route: '/admin/accounts',
    url: () => '/admin/accounts',
    form: (w) => ({ email: 'can-bo-moi@example.gov.vn', displayName: 'Cán bộ mới', role: 'officer', agencyId: w.emptyAgency.id, password: strongPassword }),
    admin: { status: 302, location: '/admin/accounts' },
    agency: forbidden,
  },
  {
    method: 'POST',
    route: '/admin/accounts/:id/disable',
    url: (w) => `/admin/accounts/${w.targetAccount.id}/disable`,
    admin: { status: 302, location: '/admin/accounts' },
    agency: forbidden,
  },
  {
    method: 'POST',
    route: '/admin/accounts/:id/enable',
    url: (w) => `/admin/accounts/${w.disabledAccount.id}/enable`,
    admin: { status: 302, location: '/admin/accounts' },
    agency: forbidden,
  },
  {
    method: 'POST',
    route: '/admin/accounts/:id/reset-password',
    url: (w) => `/admin/accounts/${w.resetAccount.id}/reset-password`,
    admin: { status: 200 },
    agency: forbidden,
  },
  {
    method: 'POST',
    route: '/admin/settings',
    url: () => '/admin/settings',
    form: () => settingsForm({ portalTitleVi: 'Cổng dữ liệu mở (đã đổi)' }),
    admin: { status: 302, location: '/admin/settings' },
    agency: forbidden,
  },
  {
    // A wrong current password: every signed-in role reaches the form and is answered on it.
    method: 'POST',
    route: '/account/password',
    url: () => '/account/password',
    form: () => ({ currentPassword: 'không-phải-mật-khẩu-này', newPassword: strongPassword, confirmPassword: strongPassword }),
    admin: { status: 422 },
    agency: { status: 422 },
  },
];

async function agentForRole(testApp: TestApp, w: MatrixWorld, role: Role): Promise<Agent> {
  if (role === 'anonymous') return new Agent(testApp.app);
  const user = { officerA: w.officerA, leaderA: w.leaderA, officerB: w.officerB, admin: w.admin }[role];
  return agentFor(testApp, user);
}

async function request(agent: Agent, w: MatrixWorld, route: RouteCase) {
  const url = route.url(w);
  return route.method === 'GET' ? agent.get(url) : agent.post(url, route.form?.(w) ?? {});
}

function describe(route: RouteCase, role: Role) {
  return `${role} ${route.method} ${route.route}`;
}

/** Every METHOD path the app serves, read from Fastify's route tree (HEAD is implied by GET). */
function servedRoutes(app: FastifyInstance): string[] {
  const stack: string[] = [];
  const found: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)(?:├── |└── )(.+?)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = [...match[1]].length / 4;
    stack.length = depth;
    stack[depth] = match[2];
    const path = stack.join('');
    for (const method of (match[3] ?? '').split(', ').filter((name) => name && name !== 'HEAD')) found.push(`${method} ${path}`);
  }
  return found;
}

/**
 * Back-office routes of the publishing flow (datasets, reviews): their role × route rules are
 * per dataset and per state, and are tested with that flow. Listed here so that any other new
 * back-office route still fails the completeness test below until it has a row.
 */
// Feedback routes are covered by the role tests in test/modules/feedback; API tokens (officers and DOIT
// only, each officer their own) by test/modules/ckan-api/tokens-and-writes.test.ts; catalogue and reports
// by test/modules/catalogue; the datastore's per-resource pages (agency scoping included) by
// test/modules/datastore/pages-and-actions.test.ts; quality pages (agency scoping) by test/modules/quality.
const coveredByPublishingTests = /^(GET|POST) \/admin\/(datasets(\/|$)|inbox$|feedback(\/|$)|api-tokens(\/|$)|catalogue(\/|$)|reports(\/|$)|quality(\/|$)|datastore\/)/;

test('the role matrix names every /admin and /account route the app serves', async (t) => {
  const { app } = await buildTestApp(t);
  const served = servedRoutes(app)
    .filter((entry) => / \/(admin|account)(\/|$)/.test(entry) && !coveredByPublishingTests.test(entry))
    .sort();
  const listed = routes.map((route) => `${route.method} ${route.route}`).sort();
  assert.ok(served.length >= 10, `reading the route tree found only ${served.join(', ')}`);
  assert.deepEqual(listed, served, 'a back-office route without a row in the matrix (or a row for a route that is gone)');
});

test('an anonymous visitor is sent to /login with the page to come back to, and every POST is refused without changing anything', async (t) => {
  const testApp = await buildTestApp(t);
  const w = await buildMatrixWorld(testApp);
  const usersBefore = await countRows(testApp.db, 'users');
  const agent = await agentForRole(testApp, w, 'anonymous');
  for (const route of routes) {
    const response = await request(agent, w, route);
    if (route.method === 'GET') {
      assert.equal(response.statusCode, 302, describe(route, 'anonymous'));
      assert.equal(response.headers.location, `/login?next=${encodeURIComponent(route.url(w))}`, describe(route, 'anonymous'));
    } else {
      assert.ok([401, 403].includes(response.statusCode), `${describe(route, 'anonymous')} answered ${response.statusCode}`);
    }
  }
  assert.equal((await auditRows(testApp.db)).length, 0, 'an anonymous request wrote an audit row');
  assert.equal(await countRows(testApp.db, 'users'), usersBefore);
  assert.equal((await userById(testApp.db, w.targetAccount.id)).disabledAt, null);
});

test('an anonymous API caller of the back office gets 401 JSON, not a redirect', async (t) => {
  const { app } = await buildTestApp(t);
  const response = await app.inject({ method: 'GET', url: '/admin/accounts', headers: { accept: 'application/json' } });
  assert.equal(response.statusCode, 401);
  assert.equal(response.json().error, 'unauthenticated');
});

for (const role of ['officerA', 'leaderA', 'officerB'] as const) {
  test(`${role === 'leaderA' ? 'a leader' : 'an officer'} of agency ${role.endsWith('A') ? 'A' : 'B'} opens the dashboard and their password page, and gets 403 on every DOIT section without changing anything (782 Art. 5.2)`, async (t) => {
    const testApp = await buildTestApp(t);
    const w = await buildMatrixWorld(testApp);
    const usersBefore = await countRows(testApp.db, 'users');
    const agenciesBefore = await countRows(testApp.db, 'agencies');
    const agent = await agentForRole(testApp, w, role);
    for (const route of routes) {
      const response = await request(agent, w, route);
      assert.equal(response.statusCode, route.agency.status, `${describe(route, role)} answered ${response.statusCode}`);
      if (route.agency.location) assert.equal(response.headers.location, route.agency.location, describe(route, role));
      if (route.agency.status === 403) assert.match(response.body, /Bạn không có quyền thực hiện thao tác này/, describe(route, role));
    }
    // Nothing a refused request touched has changed.
    // Only the refusals themselves are recorded (audit-readable.test.ts).
    assert.deepEqual((await auditRows(testApp.db)).map((row) => row.action).filter((action) => action !== 'access.refused'), [], 'a refused request wrote an audit row of a change');
    assert.equal(await countRows(testApp.db, 'users'), usersBefore);
    assert.equal(await countRows(testApp.db, 'agencies'), agenciesBefore);
    assert.equal(await countRows(testApp.db, 'settings'), 0);
    const [target] = await testApp.db.select().from(agencies).where(eq(agencies.id, w.targetAgency.id));
    assert.equal(target.active, true);
    assert.equal(target.name, 'UBND huyện Vân Canh');
    const [inactive] = await testApp.db.select().from(agencies).where(eq(agencies.id, w.inactiveAgency.id));
    assert.equal(inactive.active, false);
    assert.equal((await userById(testApp.db, w.targetAccount.id)).disabledAt, null);
    assert.notEqual((await userById(testApp.db, w.disabledAccount.id)).disabledAt, null);
    assert.equal((await userById(testApp.db, w.resetAccount.id)).passwordHash, w.resetAccount.passwordHash);
  });
}

test('DOIT staff may open every back-office page and perform every back-office action', async (t) => {
  const testApp = await buildTestApp(t);
  const w = await buildMatrixWorld(testApp);
  const agent = await agentForRole(testApp, w, 'admin');
  for (const route of routes) {
    const response = await request(agent, w, route);
    assert.equal(response.statusCode, route.admin.status, `${describe(route, 'admin')} answered ${response.statusCode}`);
    if (route.admin.location) assert.equal(response.headers.location, route.admin.location, describe(route, 'admin'));
  }
  // Each action really happened.
  const { db } = testApp;
  const [created] = await db.select().from(agencies).where(eq(agencies.name, 'Ban Quản lý Khu kinh tế'));
  assert.ok(created, 'the new agency exists');
  const [target] = await db.select().from(agencies).where(eq(agencies.id, w.targetAgency.id));
  assert.equal(target.name, 'UBND huyện Vân Canh (đã sửa)');
  assert.equal(target.active, false);
  const [reactivated] = await db.select().from(agencies).where(eq(agencies.id, w.inactiveAgency.id));
  assert.equal(reactivated.active, true);
  const [newOfficer] = await db.select().from(users).where(eq(users.email, 'can-bo-moi@example.gov.vn'));
  assert.equal(newOfficer?.agencyId, w.emptyAgency.id);
  assert.notEqual((await userById(db, w.targetAccount.id)).disabledAt, null);
  assert.equal((await userById(db, w.disabledAccount.id)).disabledAt, null);
  assert.notEqual((await userById(db, w.resetAccount.id)).passwordHash, w.resetAccount.passwordHash);
  assert.equal((await testApp.app.settings.site()).portalTitleVi, 'Cổng dữ liệu mở (đã đổi)');
});

test('the back-office menu shows DOIT every section and an officer or a leader only the dashboard', async (t) => {
  const testApp = await buildTestApp(t);
  const w = await buildWorld(testApp);
  const sections = ['/admin/agencies', '/admin/accounts', '/admin/audit', '/admin/settings'];
  const adminPage = await (await agentFor(testApp, w.admin)).get('/admin');
  for (const href of sections) assert.match(adminPage.body, new RegExp(`href="${href}"`), `DOIT menu lacks ${href}`);
  for (const user of [w.officerA, w.leaderA]) {
    const page = await (await agentFor(testApp, user)).get('/admin');
    assert.equal(page.statusCode, 200);
    for (const href of sections) assert.doesNotMatch(page.body, new RegExp(`href="${href}`), `${user.role} menu shows ${href}`);
  }
});

test("an officer of agency B does not see agency A's datasets on the dashboard; agency A's officer and leader do", async (t) => {
  const testApp = await buildTestApp(t);
  const w = await buildWorld(testApp);
  await buildDataset(testApp.db, testApp.storage, { agency: w.agencyA, revision: { title: 'Quan trắc chất lượng không khí' } });
  await buildDataset(testApp.db, testApp.storage, { agency: w.agencyB, revision: { title: 'Danh sách cơ sở khám chữa bệnh' } });
  for (const user of [w.officerA, w.leaderA]) {
    const page = await (await agentFor(testApp, user)).get('/admin');
    assert.match(page.body, /Quan trắc chất lượng không khí/, `${user.email} sees their agency's dataset`);
    assert.doesNotMatch(page.body, /Danh sách cơ sở khám chữa bệnh/, `${user.email} sees another agency's dataset`);
  }
  const pageB = await (await agentFor(testApp, w.officerB)).get('/admin');
  assert.match(pageB.body, /Danh sách cơ sở khám chữa bệnh/);
  assert.doesNotMatch(pageB.body, /Quan trắc chất lượng không khí/);
});

test("an officer of agency B cannot list agency A's accounts, nor can agency A's own officer", async (t) => {
  const testApp = await buildTestApp(t);
  const w = await buildWorld(testApp);
  for (const user of [w.officerB, w.officerA, w.leaderA]) {
    const response = await (await agentFor(testApp, user)).get(`/admin/accounts?agency=${w.agencyA.id}`);
    assert.equal(response.statusCode, 403, `${user.email}`);
    assert.doesNotMatch(response.body, /can-bo-a@example\.gov\.vn/);
  }
});

test('an officer who posts an incomplete form to a DOIT-only action gets 403, not the form with its choices', async (t) => {
  const testApp = await buildTestApp(t);
  const w = await buildWorld(testApp);
  const agent = await agentFor(testApp, w.officerB);
  const answers: string[] = [];
  for (const url of ['/admin/accounts', '/admin/agencies', `/admin/agencies/${w.agencyA.id}`, '/admin/settings']) {
    const response = await agent.post(url, { name: '' });
    const formShown = /<form class="form"/.test(response.body) ? ' with the DOIT form' : '';
    answers.push(`POST ${url} → ${response.statusCode}${formShown}`);
  }
  assert.deepEqual(answers, [
    'POST /admin/accounts → 403',
    'POST /admin/agencies → 403',
    `POST /admin/agencies/${w.agencyA.id} → 403`,
    'POST /admin/settings → 403',
  ]);
});

/*
 * The state dimension (782 Art. 8.3): each dataset verb × each state of the revision in the works
 * (none, draft, pending_review, returned) × a public revision or not × each role × own or other
 * agency. The expectations are written here from the rules, independently of the policy code:
 * 403 when the role or the agency does not hold the verb, 409 with a sentence when the state does not fit.
 */
const openStatesOfMatrix = [null, 'draft', 'pending_review', 'returned'] as const;
type MatrixRole = 'officer' | 'leader' | 'admin';

function expectedOutcome(verb: DatasetVerb, role: MatrixRole, own: boolean, open: (typeof openStatesOfMatrix)[number], isPublic: boolean): 'allowed' | 403 | 409 {
  const holds: Record<DatasetVerb, MatrixRole[]> = {
    read: ['officer', 'leader', 'admin'],
    create: ['officer'],
    edit: ['officer'],
    submit: ['officer'],
    discard: ['officer'],
    approve: ['leader'],
    return: ['leader'],
    withdraw: ['leader', 'admin'],
  };
  // DOIT acts across agencies; officers and leaders on their own agency only. Creating names no dataset.
  if (!holds[verb].includes(role) || (!own && role !== 'admin' && verb !== 'create')) return 403;
  const editable = open === 'draft' || open === 'returned';
  switch (verb) {
    case 'edit':
      return open === null || editable ? 'allowed' : 409;
    case 'submit':
    case 'discard':
      return editable ? 'allowed' : 409;
    case 'approve':
    case 'return':
      return open === 'pending_review' ? 'allowed' : 409;
    case 'withdraw':
      return isPublic ? 'allowed' : 409;
    default:
      return 'allowed';
  }
}

test('each dataset verb is allowed only to the role and agency that hold it and only in the revision states it applies to (782 Art. 5.2, 8.3)', () => {
  const ownAgency = '11111111-1111-4111-8111-111111111111';
  const otherAgency = '22222222-2222-4222-8222-222222222222';
  const actorOf = (role: MatrixRole) => ({ id: `${role}-id`, email: `${role}@example.gov.vn`, role, agencyId: role === 'admin' ? null : ownAgency, ip: null });
  const differences: string[] = [];
  let cases = 0;
  for (const verb of datasetVerbs) {
    for (const role of ['officer', 'leader', 'admin'] as const) {
      for (const own of [true, false]) {
        for (const open of openStatesOfMatrix) {
          for (const isPublic of [false, true]) {
            cases++;
            const subject = { dataset: { agencyId: own ? ownAgency : otherAgency, publishedRevisionId: isPublic ? 'public-revision' : null }, open: open ? { state: open } : null };
            const refusal = datasetPolicies[verb](actorOf(role), subject);
            const got = refusal ? refusal.statusCode : 'allowed';
            const expected = expectedOutcome(verb, role, own, open, isPublic);
            if (got !== expected) differences.push(`${verb} by ${role} of ${own ? 'own' : 'other'} agency, open ${open ?? 'none'}, ${isPublic ? 'public' : 'not public'}: ${got}, expected ${expected}`);
            // The abilities templates receive are the same decisions.
            if (verb !== 'read' && verb !== 'create') {
              const ability = datasetAbilities(actorOf(role), subject.dataset, subject.open)[verb];
              if (ability !== (expected === 'allowed')) differences.push(`ability ${verb} for ${role} (${own ? 'own' : 'other'}, ${open ?? 'none'}) is ${ability}`);
            }
          }
        }
      }
    }
  }
  assert.equal(cases, datasetVerbs.length * 3 * 2 * 4 * 2);
  assert.deepEqual(differences, []);
  // Nobody signed out may do anything.
  for (const verb of datasetVerbs) assert.notEqual(datasetPolicies[verb](null, { dataset: { agencyId: ownAgency, publishedRevisionId: 'x' }, open: { state: 'draft' } }), null, verb);
});

test('through HTTP, a revision waiting for the leader cannot be edited or discarded by its officer (409 with a sentence), and other agencies get 403', async (t) => {
  const office = await buildOffice(t);
  const datasetId = await draftAndSubmit(office);
  const editForm = await office.officer.get(`/admin/datasets/${datasetId}/edit`);
  assert.equal(editForm.statusCode, 409);
  assert.match(pageText(editForm.body), /Phiên bản này đang chờ lãnh đạo duyệt nên không sửa được/);
  const edit = await office.officer.post(`/admin/datasets/${datasetId}`, datasetFormValues(office.topic.id, { title: 'Sửa khi đang chờ duyệt' }));
  assert.equal(edit.statusCode, 409);
  assert.equal((await office.officer.post(`/admin/datasets/${datasetId}/discard`, { confirm: 'yes' })).statusCode, 409);
  assert.equal((await office.otherOfficer.get(`/admin/datasets/${datasetId}/edit`)).statusCode, 403);
  assert.equal((await office.otherLeader.post(`/admin/datasets/${datasetId}/approve`, { comment: '', piiConfirmed: 'on' })).statusCode, 403);
  assert.equal((await office.admin.post(`/admin/datasets/${datasetId}/approve`, { comment: '', piiConfirmed: 'on' })).statusCode, 403);
  const [revision] = await revisionsOf(office.db, datasetId);
  assert.equal(revision.state, 'pending_review');
  assert.notEqual(revision.title, 'Sửa khi đang chờ duyệt');
});

test('each feedback verb is allowed only to the holder (or DOIT where the table says so) and only while the item is in a state it applies to (782 Art. 9.2)', () => {
  const ownAgency = '11111111-1111-4111-8111-111111111111';
  const otherAgency = '22222222-2222-4222-8222-222222222222';
  const actorOf = (role: MatrixRole) => ({ id: `${role}-id`, email: `${role}@example.gov.vn`, role, agencyId: role === 'admin' ? null : ownAgency, ip: null });
  const differences: string[] = [];
  for (const verb of Object.keys(feedbackPolicies) as FeedbackVerb[]) {
    for (const role of ['officer', 'leader', 'admin'] as const) {
      for (const holder of ['own', 'other', 'doit'] as const) {
        for (const status of ['open', 'answered', 'resolved'] as const) {
          for (const hidden of [false, true]) {
            for (const kind of ['quality', 'data_request'] as const) {
              const item = { agencyId: holder === 'own' ? ownAgency : holder === 'other' ? otherAgency : null, status, hiddenAt: hidden ? new Date() : null, kind };
              // The holder answers; DOIT holds what has no agency and reads, reassigns and moderates everything.
              const holds = role === 'admin' ? true : holder === 'own';
              const granted = { read: holds, answer: holds, close: holds, forward: holds, link: holds, reassign: role === 'admin', hide: role === 'admin', unhide: role === 'admin' }[verb];
              const closed = status === 'resolved';
              const stateFits = {
                read: true,
                answer: !hidden,
                close: !hidden && !closed,
                forward: item.agencyId !== null && !closed && !hidden,
                link: kind === 'data_request' && !hidden,
                reassign: !closed,
                hide: !hidden,
                unhide: hidden,
              }[verb];
              const expected = !granted ? 403 : stateFits ? 'allowed' : 409;
              const refusal = feedbackPolicies[verb](actorOf(role), item as never);
              const got = refusal ? refusal.statusCode : 'allowed';
              if (got !== expected) differences.push(`${verb} by ${role}, ${holder} item, ${status}${hidden ? ', hidden' : ''}, ${kind}: ${got}, expected ${expected}`);
            }
          }
        }
      }
    }
  }
  assert.deepEqual(differences, []);
});
