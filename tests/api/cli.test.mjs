// The command-line contract of API.md: `fairdesk calc NAME` reads JSON on standard input, prints
// the same JSON as POST /api/v1/calc/NAME and exits 0; invalid input prints the problem on
// standard output, one line on standard error, and exits 2. Other commands fail with a clear
// message and a non-zero exit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, fairdeskBinary, REPO_ROOT } from '../lib/server.mjs';

const cases = JSON.parse(readFileSync(join(REPO_ROOT, 'server/labour_law/testdata/cases.json'), 'utf8'));

function fairdesk(args, input) {
  return spawnSync(fairdeskBinary(), args, { input, encoding: 'utf8' });
}

let server;
before(async () => {
  server = await startServer({ demo: false });
});
after(async () => {
  await server?.stop();
});

test('calc answers exactly what the HTTP endpoint answers, for one case of every calculator', async () => {
  const seen = new Set();
  for (const c of cases) {
    if (seen.has(c.calculator) || c.expected_error || !(c.expected || c.expected_holidays)) continue;
    seen.add(c.calculator);
    const body = JSON.stringify(c.input);
    const cli = fairdesk(['calc', c.calculator], body);
    assert.equal(cli.status, 0, `${c.calculator}: ${cli.stderr}`);
    assert.equal(cli.stderr, '');
    const http = await fetch(`${server.baseUrl}/api/v1/calc/${c.calculator}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body,
    });
    assert.equal(http.status, 200);
    assert.deepEqual(JSON.parse(cli.stdout), await http.json(), c.calculator);
    assert.ok(Array.isArray(JSON.parse(cli.stdout).legal_basis), c.calculator);
  }
  assert.equal(seen.size, 11, [...seen].join());
});

test('invalid input: problem on stdout, one line on stderr, exit 2 — and the same problem over HTTP', async () => {
  const body = JSON.stringify({ notice_received: '2026-02-30', state: 'XX' });
  const cli = fairdesk(['calc', 'dismissal-claim-deadline'], body);
  assert.equal(cli.status, 2);
  const problem = JSON.parse(cli.stdout);
  assert.equal(problem.status, 422);
  assert.deepEqual(problem.errors.map((e) => e.field).sort(), ['notice_received', 'state']);
  assert.equal(cli.stderr.trim().split('\n').length, 1);
  const http = await fetch(`${server.baseUrl}/api/v1/calc/dismissal-claim-deadline`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body,
  });
  assert.equal(http.status, 422);
  assert.deepEqual((await http.json()).errors, problem.errors);

  const malformed = fairdesk(['calc', 'holidays'], '{"state": "BY", ');
  assert.equal(malformed.status, 2);
  assert.equal(JSON.parse(malformed.stdout).status, 400);
  const unknown = fairdesk(['calc', 'no-such-calculator'], '{}');
  assert.equal(unknown.status, 2);
  assert.equal(JSON.parse(unknown.stdout).status, 404);
});

test('help, unknown commands and unreachable databases fail clearly', () => {
  const help = fairdesk(['--help']);
  assert.equal(help.status, 0);
  for (const sub of ['serve', 'migrate', 'demo-data', 'user', 'calc', 'audit', 'keys', 'retention']) {
    assert.match(help.stdout, new RegExp(`\\b${sub}\\b`), sub);
  }
  const unknown = fairdesk(['frobnicate']);
  assert.notEqual(unknown.status, 0);
  assert.ok(unknown.stderr.length > 0);
  const down = fairdesk(['--db', 'postgresql://nobody@127.0.0.1:1/none', 'migrate']);
  assert.notEqual(down.status, 0);
  assert.match(down.stderr, /^fairdesk: /);
});

test('migrate and user commands work on a fresh database', () => {
  const db = server.db.startsWith('sqlite:') ? `sqlite:${server.stateDir}/cli.db` : server.db;
  const migrate = fairdesk(['--db', db, 'migrate']);
  assert.equal(migrate.status, 0, migrate.stderr);
  const add = fairdesk(['--db', db, 'user', 'add', '--email', 'neu@example.org', '--role', 'advisor', '--centre', 'centre-be-1', '--name', 'Neue Beraterin']);
  assert.equal(add.status, 0, add.stderr);
  const list = fairdesk(['--db', db, 'user', 'list']);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /neu@example\.org/);
  const again = fairdesk(['--db', db, 'user', 'add', '--email', 'neu@example.org', '--role', 'advisor', '--centre', 'centre-be-1', '--name', 'X']);
  assert.notEqual(again.status, 0);
  assert.doesNotMatch(again.stderr, /neu@example\.org/, 'no personal data in error messages');
  const badRole = fairdesk(['--db', db, 'user', 'add', '--email', 'b@example.org', '--role', 'king', '--name', 'B']);
  assert.notEqual(badRole.status, 0);
});
