/**
 * A tiny SMTP server for tests (RFC 5321, just enough for fairdesk's client): accepts every
 * message on 127.0.0.1 and keeps it, decoded, in `messages`. No dependencies.
 *
 *   const sink = await startSmtpSink();
 *   // start fairdesk with --smtp-host 127.0.0.1 --smtp-port ${sink.port}
 *   const mail = await sink.next();   // { from, to, headers, text }
 *   await sink.stop();
 *
 * `sink.refusing = true` makes it a relay that is out of service: every connection is greeted with
 * 421 and closed, so deliveries fail until it is set back to false.
 */
import net from 'node:net';

function decodeMessage(raw) {
  const end = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, end);
  const body = raw.slice(end + 4);
  const headers = {};
  for (const line of headerText.split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let text = body;
  if ((headers['content-transfer-encoding'] ?? '').toLowerCase() === 'base64') {
    text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  let subject = headers.subject ?? '';
  const encoded = /^=\?UTF-8\?B\?(.*)\?=$/i.exec(subject);
  if (encoded) subject = Buffer.from(encoded[1], 'base64').toString('utf8');
  return { headers, subject, text };
}

export async function startSmtpSink() {
  const messages = [];
  const waiters = [];
  const state = { refusing: false };
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    if (state.refusing) {
      socket.end('421 sink out of service\r\n');
      return;
    }
    socket.setEncoding('latin1');
    let buffer = '';
    let inData = false;
    let envelope = { from: null, to: [] };
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const raw = Buffer.from(buffer.slice(0, end), 'latin1').toString('latin1');
          buffer = buffer.slice(end + 5);
          inData = false;
          const message = { ...envelope, ...decodeMessage(raw) };
          envelope = { from: null, to: [] };
          const waiter = waiters.shift();
          if (waiter) waiter(message);
          else messages.push(message);
          socket.write('250 queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-sink\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') { envelope.from = /<(.*)>/.exec(line)?.[1] ?? null; socket.write('250 ok\r\n'); }
        else if (verb === 'RCPT') { envelope.to.push(/<(.*)>/.exec(line)?.[1]); socket.write('250 ok\r\n'); }
        else if (verb === 'DATA') { inData = true; socket.write('354 go on\r\n'); }
        else if (verb === 'QUIT') { socket.end('221 bye\r\n'); return; }
        else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    messages,
    get refusing() { return state.refusing; },
    set refusing(value) { state.refusing = value; },
    /** The next message (one already received, or the next to arrive). */
    next: () => (messages.length ? Promise.resolve(messages.shift()) : new Promise((resolve) => waiters.push(resolve))),
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
