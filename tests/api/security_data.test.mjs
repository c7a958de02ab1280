// Issue 8 #15 (the part of the operations): the state folder is created 0700 and SQLite files
// 0600; after an erasure nothing of the erased client is left in the database file or its
// write-ahead log (secure_delete, WAL checkpoint). On PostgreSQL the database files are the
// server's; the state folder and the erasure itself are checked there too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, api, freshDatabaseUrl, DEMO_USERS } from '../lib/server.mjs';

test('issue8_15_files_private_and_erasure_leaves_nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-files-'));
  const stateDir = join(dir, 'state');  // does not exist yet: the server creates it
  const db = freshDatabaseUrl(dir);
  const server = await startServer({ db, stateDir });
  try {
    assert.equal(statSync(stateDir).mode & 0o777, 0o700);
    const sqlite = db.startsWith('sqlite:') ? db.slice('sqlite:'.length) : null;
    if (sqlite) {
      assert.equal(statSync(sqlite).mode & 0o777, 0o600);
      assert.equal(statSync(`${sqlite}-wal`).mode & 0o777, 0o600);
    }

    const advisor = api(server.baseUrl);
    await advisor.loginOk(DEMO_USERS.advisor);
    const marker = `Marker-${randomBytes(8).toString('hex')}`;
    const client = await advisor.post('/api/v1/clients', {
      nationality: 'SY', birth_year: 1990, gender: 'female', languages: ['ar'], employer: `${marker} GmbH`,
      consents: { storage: true, contact: true, anonymised_use: false, date: '2026-01-05' },
      name: `${marker} Person`, phone: '+49 30 555 0101',
    });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    const sealedName = sqlite
      ? execFileSync('sqlite3', [sqlite, `SELECT name_enc FROM clients WHERE id = '${client.body.id}'`], { encoding: 'utf8' }).trim()
      : null;
    assert.equal((await advisor.del(`/api/v1/clients/${client.body.id}`)).status, 204);
    if (sqlite) {
      assert.ok(sealedName && sealedName.length > 20);
      // The log was checkpointed and emptied; the freed cells were overwritten.
      assert.equal(existsSync(`${sqlite}-wal`) ? statSync(`${sqlite}-wal`).size : 0, 0);
      for (const file of [sqlite, `${sqlite}-wal`]) {
        if (!existsSync(file)) continue;
        const bytes = readFileSync(file);
        assert.equal(bytes.indexOf(marker), -1, `${file} still holds the employer`);
        assert.equal(bytes.indexOf(sealedName), -1, `${file} still holds the sealed name`);
      }
    }
    assert.equal((await advisor.get(`/api/v1/clients/${client.body.id}`)).status, 404);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
