import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { roles } from '../../src/modules/accounts/accounts.table.ts';

/*
 * Templates and routes never decide on a role (CONVENTIONS 3–4): they receive abilities from the
 * policies, and listings take their scope from scopeOf(). A simple scan: a role's name as a quoted
 * string, or a comparison with someone's `.role`, in any view or any *.routes.ts file.
 */

const root = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(full, keep);
    return keep(entry.name) ? [full] : [];
  });
}

// DOIT staff hold the 'admin' role; 'doit' is how some code once spelled it.
const roleNames = [...roles, 'doit'];
const quotedRole = new RegExp(`['"\`](${roleNames.join('|')})['"\`]`);
const roleComparison = /\.role\s*[!=]==?|[!=]==?\s*[\w.?]*\.role\b/;

function mentions(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) => (quotedRole.test(line) || roleComparison.test(line) ? [`${path.relative(root, file)}:${index + 1}: ${line.trim().slice(0, 120)}`] : []));
}

test('no template and no route mentions a role name: they get abilities from the policies instead (role names: the accounts table)', () => {
  const views = filesUnder(path.join(root, 'views'), (name) => name.endsWith('.eta'));
  const routes = filesUnder(path.join(root, 'src'), (name) => name.endsWith('.routes.ts'));
  assert.ok(views.length > 20 && routes.length > 15, `the scan found only ${views.length} views and ${routes.length} route files`);
  assert.deepEqual([...views, ...routes].flatMap(mentions), []);
});

test('the scan itself catches a role test in a template or a route', () => {
  for (const line of [`<% if (it.user.role === 'admin') { %>`, `canCreate: request.actor.role === 'officer',`, `if ('leader' === actor.role)`]) {
    assert.ok(quotedRole.test(line) || roleComparison.test(line), line);
  }
  for (const line of [`<a href="/admin/datasets">`, `value: it.values.role, error: it.errors.role`, `<svg role="img">`]) {
    assert.ok(!quotedRole.test(line) && !roleComparison.test(line), line);
  }
});
