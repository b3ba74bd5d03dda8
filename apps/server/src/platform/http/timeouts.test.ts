import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, TEST_SECRET, type TestApp } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../config.ts';

/**
 * Slow clients against a listening server (issue 10, finding 1: ten sockets announcing a 200-byte body on
 * validate-key and sending a byte every 5 s were all still open after 100 s). With the timeouts set to one second
 * through the configuration, a client that does not finish its headers or body in time gets 408 in the one error
 * shape and its socket is closed, long before it could finish; a normal keep-alive client is unaffected.
 */

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await startTestApp({
    env: {
      KEYWARD_REQUEST_TIMEOUT_SECONDS: '1',
      KEYWARD_HEADERS_TIMEOUT_SECONDS: '1',
      KEYWARD_KEEP_ALIVE_TIMEOUT_SECONDS: '1',
      KEYWARD_SOCKET_IDLE_TIMEOUT_SECONDS: '7',
    },
  });
  await t.kw.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.kw.app.server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await t?.close();
});

interface Closed {
  /** Everything the server sent before it closed the connection. */
  received: string;
  /** Bytes of the request the client had written when the server closed. */
  sent: number;
}

/** Opens a socket, writes `head`, then `drip` one byte every `everyMs` until the server closes the connection. */
function slowClient(head: string, drip: string, everyMs = 100): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | null = null;
    socket.on('connect', () => {
      socket.write(head);
      sent += Buffer.byteLength(head);
      let i = 0;
      timer = setInterval(() => {
        if (i >= drip.length || !socket.writable) return;
        socket.write(drip[i++]!);
        sent += 1;
      }, everyMs);
    });
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => {}); // a write racing the server's close
    socket.on('close', () => {
      if (timer) clearInterval(timer);
      resolve({ received, sent });
    });
    setTimeout(() => reject(new Error(`the server did not close the socket; got ${received}`)), 20_000).unref();
  });
}

function parseResponse(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const colon = l.indexOf(':');
    headers[l.slice(0, colon).trim().toLowerCase()] = l.slice(colon + 1).trim();
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body: raw.slice(end + 4) };
}

const validateHead = (length: number) =>
  'POST /v1/licenses/validate-key HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
  `Content-Length: ${length}\r\n\r\n`;

describe(`slow clients (${dbKind})`, () => {
  it('sets the configured timeouts on the HTTP server', () => {
    const server = t.kw.app.server;
    expect({
      request: server.requestTimeout,
      headers: server.headersTimeout,
      keepAlive: server.keepAliveTimeout,
      socketIdle: server.timeout,
    }).toEqual({ request: 1000, headers: 1000, keepAlive: 1000, socketIdle: 7000 });
  });

  it('accepts long timeouts too (a headers timeout over the 300 s request timeout Node starts with)', async () => {
    const env = { KEYWARD_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', KEYWARD_REQUEST_TIMEOUT_SECONDS: '900' };
    const config = loadConfig({ ...env, KEYWARD_HEADERS_TIMEOUT_SECONDS: '600' }, { database: t.testDb.config });
    const kw = await buildApp(config, { database: t.kw.database, skipMigrations: true });
    try {
      expect([kw.app.server.requestTimeout, kw.app.server.headersTimeout]).toEqual([900_000, 600_000]);
    } finally {
      await kw.app.close();
    }
  });

  it('answers 408 REQUEST_TIMEOUT and closes each of 10 sockets that trickle a 200-byte body', async () => {
    const body = JSON.stringify({ key: `ACME-${'X'.repeat(185)}` });
    expect(body).toHaveLength(200);
    const results = await Promise.all(Array.from({ length: 10 }, () => slowClient(validateHead(200), body)));
    for (const { received, sent } of results) {
      const res = parseResponse(received);
      expect(res.status).toBe(408);
      expect(res.headers.connection).toBe('close');
      expect(JSON.parse(res.body)).toEqual({
        error: { code: 'REQUEST_TIMEOUT', message: 'The request did not arrive in time' },
      });
      // Closed by the server while the body was far from complete (one byte per 100 ms of 200).
      expect(sent).toBeLessThan(validateHead(200).length + 100);
    }
  });

  it('answers 408 and closes a socket that trickles its headers, and one that sends nothing', async () => {
    const headers = Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: y\r\n`).join('');
    const [trickle, silent] = await Promise.all([
      slowClient('GET /healthz HTTP/1.1\r\nHost: localhost\r\n', headers, 50),
      slowClient('', ''),
    ]);
    for (const { received } of [trickle, silent]) {
      const res = parseResponse(received);
      expect(res.status).toBe(408);
      expect(JSON.parse(res.body).error.code).toBe('REQUEST_TIMEOUT');
    }
    expect(trickle.sent).toBeLessThan(headers.length);
  });

  it('serves a slow client that finishes within the timeout', async () => {
    const body = JSON.stringify({ key: 'ACME-NOT-A-KEY' });
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.write(`${validateHead(body.length).replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')}`);
    for (const part of [body.slice(0, 10), body.slice(10, 20), body.slice(20)]) {
      await new Promise((r) => setTimeout(r, 100));
      socket.write(part);
    }
    await new Promise((resolve) => socket.once('close', resolve));
    const res = parseResponse(received);
    expect(res.status).not.toBe(408);
    expect(JSON.parse(res.body)).toMatchObject({ valid: false });
  });

  it('answers what the HTTP parser rejects in the one error shape too, then closes the socket', async () => {
    const [garbage, hugeHeaders] = await Promise.all([
      slowClient('NOT HTTP AT ALL\r\n\r\n', ''),
      slowClient(`GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, ''),
    ]);
    const bad = parseResponse(garbage.received);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ error: { code: 'MALFORMED_REQUEST', message: 'Malformed HTTP request' } });
    const big = parseResponse(hugeHeaders.received);
    expect(big.status).toBe(431);
    expect(JSON.parse(big.body).error.code).toBe('HEADERS_TOO_LARGE');
  });

  it('keeps a normal keep-alive client working, then closes its idle connection', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let buffer = '';
    let closedByServer = false;
    const closed = new Promise<void>((resolve) =>
      socket.once('end', () => {
        closedByServer = true;
        resolve();
      }),
    );
    const nextResponse = () =>
      new Promise<ReturnType<typeof parseResponse>>((resolve) => {
        const check = () => {
          const end = buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          const res = parseResponse(buffer);
          const length = Number(res.headers['content-length']);
          if (buffer.length < end + 4 + length) return;
          buffer = buffer.slice(end + 4 + length);
          socket.off('data', onData);
          resolve({ ...res, body: res.body.slice(0, length) });
        };
        const onData = (chunk: Buffer) => {
          buffer += chunk.toString('latin1');
          check();
        };
        socket.on('data', onData);
        check();
      });
    for (let i = 0; i < 3; i++) {
      socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      const res = await nextResponse();
      expect(res.status).toBe(200);
      expect(res.headers.connection).toBe('keep-alive');
      expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
      await new Promise((r) => setTimeout(r, 300)); // idle, but within the keep-alive timeout
    }
    await closed; // after the keep-alive timeout, the server ends the idle connection
    expect(closedByServer).toBe(true);
    socket.destroy();
  });
});
