// Fills a running fairdesk with cases through the API (bench/cases), as the Berlin advisor:
//   node bench/lib/fill-cases.mjs BASE_URL COUNT
// Prints the session cookie of the advisor (for wrk) on standard output.
import { api, DEMO_USERS } from '../../tests/lib/server.mjs';

const [base, countText] = process.argv.slice(2);
const count = Number(countText);
const c = api(base);
await c.login(DEMO_USERS.advisor);
const topics = ['wages', 'leave', 'dismissal', 'sick_pay', 'accommodation'];
let made = 0;
async function worker() {
  while (made < count) {
    const i = made++;
    const client = await c.post('/api/v1/clients', { nationality: 'RO' });
    if (client.status !== 201) throw new Error(`client: ${client.status} ${JSON.stringify(client.body)}`);
    const k = await c.post('/api/v1/cases', { client_id: client.body.id, topics: [topics[i % topics.length]] });
    if (k.status !== 201) throw new Error(`case: ${k.status} ${JSON.stringify(k.body)}`);
  }
}
await Promise.all(Array.from({ length: 8 }, worker));
process.stdout.write([...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
