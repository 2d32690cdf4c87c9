import { createServer, type Server } from 'node:http';
import type { ServerMetrics } from '../api/metrics-registry.js';

/**
 * `causeway agent --metrics-port N`: the standalone agent's own GET /metrics (its reconcile durations,
 * queue depth, charon restarts and the SA transitions it saw), on loopback unless `--metrics-host` says
 * otherwise. The connection gauges stay the server's: they are read from the store, which the agent
 * does not open.
 */
export function serveAgentMetrics(metrics: ServerMetrics, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://agent').pathname;
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The metrics could not be collected.\n'),
    );
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}
