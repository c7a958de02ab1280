// Each demo role against the user administration endpoints and its own /me: who may see and
// change which users (PRODUCT.md §1). Against the real binary, on SQLite or, with
// FAIRDESK_TEST_DB_URL, on PostgreSQL.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, DEMO_USERS, DEMO_PASSWORD } from '../lib/server.mjs';

function assertProblem(res, status, slug) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  if (slug) assert.equal(res.body.type, `/problems/${slug}`, JSON.stringify(res.body));
}

function assertFieldError(res, field) {
  assertProblem(res, 422);
  assert.ok(res.body.errors?.some((e) => e.field === field), `expected a field error for ${field}: ${JSON.stringify(res.body)}`);
}

// What each demo user is: role, centre and federal state as /me must report them.
const EXPECTED = {
  admin: { role: 'admin', centre_id: null, state: null },
  advisor: { role: 'advisor', centre_id: 'centre-be-1', state: 'BE' },
  advisorBayern: { role: 'advisor', centre_id: 'centre-by-1', state: 'BY' },
  centreLead: { role: 'centre_lead', centre_id: 'centre-be-1', state: 'BE' },
  stateCoordinator: { role: 'state_coordinator', centre_id: null, state: 'BE' },
  competenceCentre: { role: 'competence_centre', centre_id: 'centre-fachstelle', state: 'BE' },
  competenceCentre2: { role: 'competence_centre', centre_id: 'centre-fachstelle', state: 'BE' },
  programme: { role: 'programme', centre_id: null, state: null },
};

let server;
const clients = {};
const ids = {};

before(async () => {
  server = await startServer();
  for (const [key, email] of Object.entries(DEMO_USERS)) {
    clients[key] = api(server.baseUrl);
    const user = await clients[key].loginOk(email);
    ids[key] = user.id;
  }
});
after(async () => { await server?.stop(); });

describe('every demo role signs in and sees itself', () => {
  for (const key of Object.keys(EXPECTED)) {
    test(key, async () => {
      const me = await clients[key].get('/api/v1/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.user.email, DEMO_USERS[key]);
      assert.equal(me.body.user.role, EXPECTED[key].role);
      assert.equal(me.body.user.centre_id, EXPECTED[key].centre_id);
      assert.equal(me.body.user.state, EXPECTED[key].state);
      assert.ok(me.body.user.display_name.length > 0);
      assert.equal(me.body.user.centre_name === null, EXPECTED[key].centre_id === null);
    });
  }
});

describe('user administration, role by role', () => {
  // The matrix: what each role gets from the user endpoints. Leads see their own centre only, and
  // users of other centres do not exist for them (404).
  const MATRIX = {
    admin: { list: 200, create: 201, getOwnCentre: 200, getOtherCentre: 200, patchOtherCentre: 200 },
    centreLead: { list: 200, create: 403, getOwnCentre: 200, getOtherCentre: 404, patchOtherCentre: 404 },
    advisor: { list: 403, create: 403, getOwnCentre: 403, getOtherCentre: 403, patchOtherCentre: 403 },
    advisorBayern: { list: 403, create: 403, getOwnCentre: 403, getOtherCentre: 403, patchOtherCentre: 403 },
    stateCoordinator: { list: 403, create: 403, getOwnCentre: 403, getOtherCentre: 403, patchOtherCentre: 403 },
    competenceCentre: { list: 403, create: 403, getOwnCentre: 403, getOtherCentre: 403, patchOtherCentre: 403 },
    programme: { list: 403, create: 403, getOwnCentre: 403, getOtherCentre: 403, patchOtherCentre: 403 },
  };

  for (const [key, expected] of Object.entries(MATRIX)) {
    test(key, async () => {
      const client = clients[key];
      const list = await client.get('/api/v1/users');
      assert.equal(list.status, expected.list, `GET /users: ${JSON.stringify(list.body)}`);

      const create = await client.post('/api/v1/users', {
        email: `new.${key.toLowerCase()}@example.org`,
        display_name: 'New Colleague',
        role: 'advisor',
        centre_id: 'centre-by-1',
      });
      assert.equal(create.status, expected.create, `POST /users: ${JSON.stringify(create.body)}`);

      const own = await client.get(`/api/v1/users/${ids.advisor}`);
      assert.equal(own.status, expected.getOwnCentre, `GET /users/{Berlin advisor}`);
      const other = await client.get(`/api/v1/users/${ids.advisorBayern}`);
      assert.equal(other.status, expected.getOtherCentre, `GET /users/{Bavarian advisor}`);
      const patch = await client.patch(`/api/v1/users/${ids.advisorBayern}`, { display_name: `Renamed by ${key}` });
      assert.equal(patch.status, expected.patchOtherCentre, `PATCH /users/{Bavarian advisor}: ${JSON.stringify(patch.body)}`);
      if (expected.patchOtherCentre !== 200) {
        assert.notEqual((await clients.admin.get(`/api/v1/users/${ids.advisorBayern}`)).body.user.display_name, `Renamed by ${key}`);
      }
    });
  }

  test('without a session the user endpoints are 401', async () => {
    const anonymous = api(server.baseUrl);
    assertProblem(await anonymous.get('/api/v1/users'), 401);
    assertProblem(await anonymous.get(`/api/v1/users/${ids.advisor}`), 401);
    assertProblem(await anonymous.post('/api/v1/users', { email: 'x@example.org', display_name: 'X', role: 'admin' }), 401);
    assertProblem(await anonymous.patch(`/api/v1/users/${ids.advisor}`, { disabled: true }), 401);
  });

  test('the admin sees everybody, paged', async () => {
    const all = await clients.admin.get('/api/v1/users?limit=200');
    assert.equal(all.status, 200);
    const emails = all.body.items.map((u) => u.email);
    for (const email of Object.values(DEMO_USERS)) assert.ok(emails.includes(email), email);
    assert.equal(all.body.next_cursor, null);
    assert.ok(all.body.items.every((u) => typeof u.disabled === 'boolean' && !('password_hash' in u)));

    const seen = [];
    let cursor = null;
    do {
      const page = await clients.admin.get(`/api/v1/users?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.status, 200);
      assert.ok(page.body.items.length <= 3);
      seen.push(...page.body.items.map((u) => u.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, all.body.items.map((u) => u.id));

    assertFieldError(await clients.admin.get('/api/v1/users?limit=0'), 'limit');
    assertFieldError(await clients.admin.get('/api/v1/users?limit=201'), 'limit');
    assertFieldError(await clients.admin.get('/api/v1/users?limit=ten'), 'limit');
  });

  test('the centre lead sees the staff of their own centre only', async () => {
    const list = await clients.centreLead.get('/api/v1/users');
    assert.equal(list.status, 200);
    assert.ok(list.body.items.length >= 2);
    assert.ok(list.body.items.every((u) => u.centre_id === 'centre-be-1'), JSON.stringify(list.body.items));
    const emails = list.body.items.map((u) => u.email);
    assert.ok(emails.includes(DEMO_USERS.advisor));
    assert.ok(emails.includes(DEMO_USERS.centreLead));
    assertProblem(await clients.centreLead.get(`/api/v1/users/${ids.admin}`), 404);
    assertProblem(await clients.centreLead.get('/api/v1/users/usr_doesnotexist'), 404);
    // Leads change no roles or centres.
    assertProblem(await clients.centreLead.patch(`/api/v1/users/${ids.advisor}`, { role: 'centre_lead' }), 403);
    assertProblem(await clients.centreLead.patch(`/api/v1/users/${ids.advisor}`, { centre_id: 'centre-by-1' }), 403);
    assertFieldError(await clients.centreLead.patch(`/api/v1/users/${ids.centreLead}`, { disabled: true }), 'disabled');
  });

  test('disabling a user ends their sessions; enabling lets them in again', async () => {
    const victim = api(server.baseUrl);
    await victim.loginOk(DEMO_USERS.advisor);
    const disabled = await clients.centreLead.patch(`/api/v1/users/${ids.advisor}`, { disabled: true });
    assert.equal(disabled.status, 200);
    assert.equal(disabled.body.user.disabled, true);
    assertProblem(await victim.get('/api/v1/me'), 401);
    assertProblem(await clients.advisor.get('/api/v1/me'), 401);
    assertProblem(await api(server.baseUrl).login(DEMO_USERS.advisor), 401, 'invalid-credentials');

    const enabled = await clients.admin.patch(`/api/v1/users/${ids.advisor}`, { disabled: false });
    assert.equal(enabled.status, 200);
    assert.equal(enabled.body.user.disabled, false);
    await clients.advisor.loginOk(DEMO_USERS.advisor);
  });

  test('the admin creates users and moves them between roles and centres', async () => {
    const created = await clients.admin.post('/api/v1/users', {
      email: 'Neue.Kollegin@Example.org',
      display_name: "Zoë O'Brien; DROP TABLE users; --",
      role: 'advisor',
      centre_id: 'centre-be-1',
      language: 'en',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.user.email, 'neue.kollegin@example.org');
    assert.equal(created.body.user.display_name, "Zoë O'Brien; DROP TABLE users; --");
    assert.equal(created.body.user.state, 'BE');
    assert.equal(typeof created.body.initial_password, 'string');
    assert.ok(created.body.initial_password.length >= 12);
    const newcomer = api(server.baseUrl);
    const login = await newcomer.login('neue.kollegin@example.org', created.body.initial_password);
    assert.equal(login.status, 200);
    assert.equal(login.body.user.language, 'en');

    assertProblem(
      await clients.admin.post('/api/v1/users', { email: 'neue.kollegin@example.org', display_name: 'Dup', role: 'programme' }),
      409,
    );
    assertFieldError(await clients.admin.post('/api/v1/users', { email: 'x@example.org', display_name: 'X', role: 'wizard' }), 'role');
    assertFieldError(await clients.admin.post('/api/v1/users', { email: 'x@example.org', display_name: 'X', role: 'advisor' }), 'centre_id');
    assertFieldError(
      await clients.admin.post('/api/v1/users', { email: 'x@example.org', display_name: 'X', role: 'advisor', centre_id: "centre-be-1' OR '1'='1" }),
      'centre_id',
    );
    assertFieldError(await clients.admin.post('/api/v1/users', { email: 'x@example.org', display_name: 'X', role: 'state_coordinator' }), 'state');
    assertFieldError(await clients.admin.post('/api/v1/users', { email: 'not-an-address', display_name: 'X', role: 'programme' }), 'email');
    assertFieldError(
      await clients.admin.post('/api/v1/users', { email: 'x@example.org', display_name: 'X', role: 'programme', password: 'short' }),
      'password',
    );
    assertFieldError(
      await clients.admin.post('/api/v1/users', { email: 'x@example.org', display_name: 'X'.repeat(201), role: 'programme' }),
      'display_name',
    );
    assertFieldError(
      await clients.admin.post('/api/v1/users', { email: 'x@example.org', display_name: 'X', role: 'programme', is_admin: true }),
      'is_admin',
    );

    const id = created.body.user.id;
    const coordinator = await clients.admin.patch(`/api/v1/users/${id}`, { role: 'state_coordinator', centre_id: null, state: 'HH' });
    assert.equal(coordinator.status, 200, JSON.stringify(coordinator.body));
    assert.equal(coordinator.body.user.role, 'state_coordinator');
    assert.equal(coordinator.body.user.centre_id, null);
    assert.equal(coordinator.body.user.state, 'HH');
    // The change holds for the running session at once.
    const me = await newcomer.get('/api/v1/me');
    assert.equal(me.body.user.role, 'state_coordinator');
    assertProblem(await newcomer.get('/api/v1/users'), 403);

    assertFieldError(await clients.admin.patch(`/api/v1/users/${id}`, { role: 'advisor' }), 'centre_id');
    assertFieldError(await clients.admin.patch(`/api/v1/users/${id}`, { disabled: 'yes' }), 'disabled');
    assertFieldError(await clients.admin.patch(`/api/v1/users/${id}`, { password_hash: 'x' }), 'password_hash');
    assertFieldError(await clients.admin.patch(`/api/v1/users/${ids.admin}`, { disabled: true }), 'disabled');
    assertProblem(await clients.admin.patch('/api/v1/users/usr_doesnotexist', { disabled: true }), 404);
    assertProblem(await clients.admin.patch(`/api/v1/users/${id}`, { disabled: true }, { csrf: false }), 403, 'csrf');
  });
});

test('signing in as each role works with the demo password only', async () => {
  for (const email of Object.values(DEMO_USERS)) {
    assertProblem(await api(server.baseUrl).login(email, `${DEMO_PASSWORD}x`), 401, 'invalid-credentials');
  }
});
