/**
 * Baseline server for the benchmarks: a minimal Fastify app (the same Fastify the server uses, resolved from
 * apps/server) answering GET / with {"hello":"world"}. Same process model as the real server: a child process
 * listening on 127.0.0.1, printing {"port":…} once listening, closing on SIGTERM/SIGINT.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../apps/server');
const requireFromServer = createRequire(path.join(serverDir, 'package.json'));
const Fastify = requireFromServer('fastify');

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(
  `${JSON.stringify({ port: app.server.address().port, pid: process.pid, fastify: app.version })}\n`,
);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
