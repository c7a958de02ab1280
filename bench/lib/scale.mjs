// Latency of single case-work requests against a running fairdesk (bench/cases-scale), one at a
// time as the Berlin advisor:
//   node bench/lib/scale.mjs BASE_URL COOKIE_FILE N MODE
// MODE "read": the first page of the case list, search by case number, by client code and by a
// free-text word, one case with its timeline; MODE "create": opening a case for a new client.
// Prints one JSON object: {name: {p50, p99, n}} in ms (and, for "read", the probes used).
import { writeFileSync } from 'node:fs';
import { api, DEMO_USERS } from '../../tests/lib/server.mjs';

const [base, cookieFile, nText, mode] = process.argv.slice(2);
const n = Number(nText);
const c = api(base);
await c.login(DEMO_USERS.advisor);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
async function time(name, fn, out, count = n) {
  const ms = [];
  for (let i = 0; i < count; i += 1) {
    const t = process.hrtime.bigint();
    const r = await fn(i);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status >= 300) throw new Error(`${name}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  ms.sort((a, b) => a - b);
  out[name] = { p50: +percentile(ms, 50).toFixed(2), p99: +percentile(ms, 99).toFixed(2), n: count };
}

const out = {};
if (mode === 'create') {
  const client = await c.post('/api/v1/clients', { nationality: 'RO' });
  if (client.status !== 201) throw new Error(`client: ${client.status}`);
  await time('create_case', () => c.post('/api/v1/cases', { client_id: client.body.id, topics: ['wages'] }), out);
} else {
  // Probes: a case of the middle of the Berlin list (its number and its client's code), and a
  // free-text word (a topic label, found in a few percent of the cases).
  const page = await c.get('/api/v1/cases?limit=50&sort=-created');
  const probe = page.body.items[Math.floor(page.body.items.length / 2)];
  const old = await c.get('/api/v1/cases?limit=1&sort=created');
  const oldest = old.body.items[0];
  out.probes = { case_number: oldest.number, client_code: oldest.client_code, free_text: 'diskriminierung',
    case_id: probe.id, client_id: probe.client_id };
  await time('list_first_page', () => c.get('/api/v1/cases?limit=50'), out);
  // Searches that scan a centre take seconds at 1M: fewer repetitions (a tenth, at least 5).
  const few = Math.max(5, Math.ceil(n / 10));
  await time('search_case_number', () => c.get(`/api/v1/cases?limit=50&q=${encodeURIComponent(oldest.number)}`), out, few);
  await time('search_client_code',
    () => c.get(`/api/v1/cases?limit=50&q=${encodeURIComponent(oldest.client_code ?? oldest.number)}`), out, few);
  await time('search_free_text', () => c.get('/api/v1/cases?limit=50&q=diskriminierung'), out, few);
  await time('case_with_timeline', () => c.get(`/api/v1/cases/${probe.id}`), out);
}
// The cookie of this session, for wrk.
writeFileSync(cookieFile, [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
process.stdout.write(`${JSON.stringify(out)}\n`);
