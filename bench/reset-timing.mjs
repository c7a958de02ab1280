// Does the answer to "send me a reset link" (POST /api/v1/password-reset) tell whether an address
// has an account? Requests for known and for unknown addresses, interleaved in the same minute
// against one server, each timed on the client (what an attacker sees); prints the median, the
// mean and the 90th percentile of each kind, their ratio, and the server's CPU time per request of
// each kind (utime+stime from /proc before and after a run of one kind). A ratio near 1 is the goal.
//
//   FAIRDESK_BIN=build/bench/server/fairdesk node bench/reset-timing.mjs [rounds]
//
// Loopback only; a fixed number of rounds (default 200 of each kind).
import { readFileSync } from 'node:fs';
import { startServer, api, DEMO_USERS } from '../tests/lib/server.mjs';
import { startSmtpSink } from '../tests/lib/smtp-sink.mjs';

const rounds = Number(process.argv[2] ?? 200);
const known = Object.values(DEMO_USERS);
const sink = await startSmtpSink();
const server = await startServer({
  extraArgs: ['--smtp-host', '127.0.0.1', '--smtp-port', String(sink.port), '--public-url', 'http://placeholder'],
});
const cpuTicks = () => {
  const fields = readFileSync(`/proc/${server.process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);  // utime + stime (fields 14 and 15), in clock ticks
};
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], mean: s.reduce((a, b) => a + b, 0) / s.length, p90: s[Math.floor(s.length * 0.9)] };
};
const request = async (email) => {
  const client = api(server.baseUrl);
  const t = performance.now();
  const r = await client.post('/api/v1/password-reset', { email });
  const elapsed = performance.now() - t;
  if (r.status !== 202) throw new Error(`password-reset answered ${r.status}`);
  return elapsed;
};
try {
  // Warm-up, then the interleaved rounds: known, unknown, unknown, known, ... so neither kind is
  // always first.
  for (let i = 0; i < 20; i += 1) await request(`warm${i}@example.org`);
  const times = { known: [], unknown: [] };
  for (let i = 0; i < rounds; i += 1) {
    const order = i % 2 === 0 ? ['known', 'unknown'] : ['unknown', 'known'];
    for (const kind of order) {
      const email = kind === 'known' ? known[i % known.length] : `nobody-${i}@example.org`;
      times[kind].push(await request(email));
    }
  }
  // CPU of the server per request, one kind at a time (the queued work of the known ones counts
  // too: the runs end once every mail has reached the sink).
  const ticksPerSecond = 100;
  const cpu = {};
  for (const kind of ['unknown', 'known']) {
    const before = cpuTicks();
    const mailsBefore = sink.messages.length;
    for (let i = 0; i < rounds; i += 1) await request(kind === 'known' ? known[i % known.length] : `none-${i}@example.org`);
    if (kind === 'known') {
      const deadline = Date.now() + 60_000;
      while (sink.messages.length === mailsBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    }
    cpu[kind] = ((cpuTicks() - before) / ticksPerSecond / rounds) * 1000;
  }
  const k = stats(times.known);
  const u = stats(times.unknown);
  const f = (x) => x.toFixed(2);
  console.log(`rounds: ${rounds} of each kind, interleaved`);
  console.log(`known   addresses: median ${f(k.median)} ms, mean ${f(k.mean)} ms, p90 ${f(k.p90)} ms; server CPU ${f(cpu.known)} ms per request`);
  console.log(`unknown addresses: median ${f(u.median)} ms, mean ${f(u.mean)} ms, p90 ${f(u.p90)} ms; server CPU ${f(cpu.unknown)} ms per request`);
  console.log(`ratio known/unknown: median ${f(k.median / u.median)}, mean ${f(k.mean / u.mean)}, p90 ${f(k.p90 / u.p90)}`);
  console.log(`mails that reached the sink: ${sink.messages.length}`);
} finally {
  await server.stop();
  await sink.stop();
}
