// The annual report's layout (issue 11): long names of topics stay inside the page (cut with "…"
// by their rendered width, not by bytes: before, they ran over the left margin and were clipped), and large sums of wages and the header "Veränderung"
// fit their cells on one line. Read back with pdftotext (-bbox for the position of every word).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, DEMO_USERS, signedIn } from '../lib/server.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('annual report: long topic names within the page, large wages and the change column on one line', async () => {
  // A topic whose name is longer than the bar chart's label column (the admin adds it).
  const admin = await signedIn(server.baseUrl, DEMO_USERS.admin);
  const list = await admin.get('/api/v1/topics');
  const longName = 'Ein sehr langer Themenname, der im Balkendiagramm des Jahresberichts gekürzt werden muss';
  const put = await admin.put('/api/v1/topics', { topics: [...list.body.items.map((t) => ({ code: t.code, labels: t.labels, in_scope: t.in_scope })),
    { code: 'long_name_test', labels: { de: longName, en: 'A very long topic name' } }] }, { headers: { 'If-Match': list.headers.get('etag') } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const advisor = await signedIn(server.baseUrl, DEMO_USERS.advisor);
  const lead = await signedIn(server.baseUrl, DEMO_USERS.centreLead);
  const today = new Date().toISOString().slice(0, 10);
  const year = today.slice(0, 4);
  // A consultation under long topic names, and a case closed with wages over a million euros.
  for (const topic of ['sick_pay', 'accommodation', 'long_name_test']) {
    const client = (await advisor.post('/api/v1/clients', { nationality: 'SY', birth_year: 1985, gender: 'male', languages: ['ar'] })).body;
    const kase = (await advisor.post('/api/v1/cases', { client_id: client.id, topics: [topic] })).body;
    const res = await advisor.post(`/api/v1/cases/${kase.id}/consultations`, { date: today, duration_minutes: 30, channel: 'phone',
      language: 'ar', kind: 'acute', notes: 'n' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    if (topic === 'sick_pay') {
      const closed = await advisor.patch(`/api/v1/cases/${kase.id}`, { status: 'closed', closing_reason: 'resolved',
        outcome: { wages_recovered_cents: 123_456_789, claim_filed: true, settled: false, referred: false, no_further_action: false } });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-report-layout-'));
  try {
    const cookie = [...lead.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(new URL(`/api/v1/stats/report?year=${year}`, server.baseUrl), { headers: { Cookie: cookie } });
    assert.equal(res.status, 200);
    const file = join(dir, 'report.pdf');
    if (process.env.KEEP_REPORT) console.log(file);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).toString('utf8');
    const keyHeader = text.split('\n').find((l) => /^\s*Kennzahl\s/.test(l));
    assert.match(keyHeader, /\sVeränderung\s*$/, keyHeader);
    const wages = text.split('\n').find((l) => /^\s*Gesicherte Löhne\s/.test(l));
    assert.match(wages, /\d{1,3}(\.\d{3})+,\d\d €/, wages);
    // Every key figure's row reads as four cells apart (label, this year, last year, change).
    for (const label of ['Beratungskontakte', 'Beratene Personen', 'Eröffnete Fälle', 'Abgeschlossene Fälle', 'Gesicherte Löhne']) {
      const line = text.split('\n').find((l) => l.trim().startsWith(`${label} `));
      assert.equal(line?.trim().split(/\s{2,}/).length, 4, `${label}: ${line}`);
    }
    // The bar chart by topic: each label ends before the bars begin (56 pt margin + 180 pt labels);
    // a label too long is cut with "…" (pdftotext still reads the whole name: cairo keeps the cut
    // text as the ellipsis glyph's ActualText).
    const bboxText = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']).toString('utf8');
    const chartLine = [...bboxText.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>Themenname,<\/word>/g)];
    assert.ok(chartLine.length >= 1, 'the long name in the chart');
    const y = chartLine[0][2];
    const lineWords = [...bboxText.matchAll(new RegExp(`<word xMin="([\\d.]+)" yMin="${y}" xMax="([\\d.]+)"[^>]*>([^<]*)<`, 'g'))]
      .filter(([, x0]) => Number(x0) < 300);
    assert.ok(lineWords.every(([, x0, x1]) => Number(x0) >= 55.5 && Number(x1) <= 56 + 180), JSON.stringify(lineWords));
    // Every word lies within the page's margins (56 pt on A4, 595 pt wide).
    const words = [...bboxText.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</g)];
    assert.ok(words.length > 100);
    const outside = words.filter(([, x0, x1]) => Number(x0) < 55.5 || Number(x1) > 595 - 55.5).map((w) => w[3]);
    assert.deepEqual(outside, []);
  } finally {
    if (!process.env.KEEP_REPORT) rmSync(dir, { recursive: true, force: true });
  }
});
