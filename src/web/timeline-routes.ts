import type { FastifyInstance } from 'fastify';
import type { ConnectionEventView } from '../control/index.js';
import { HTML_ROUTE, sendPage, type ConsoleOptions } from './console-plugin.js';
import { page } from './console-layout.js';
import { html } from './html-template.js';

const PAGE_SIZE = 50;

function eventItem(e: ConnectionEventView) {
  const details = Object.entries(e.details ?? {});
  return html`<li>
    <time datetime="${e.createdAt}">${e.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</time> · <strong>${e.type}</strong>
    <p>${e.message}</p>
    ${e.cause && html`<p class="muted">Cause: ${e.cause}</p>`}${
      details.length > 0 &&
      html`<ul class="details">
        ${details.map(([k, v]) => html`<li>${k}: <code>${typeof v === 'string' ? v : JSON.stringify(v)}</code></li>`)}
      </ul>`
    }
  </li>`;
}

/** A connection's event timeline, newest first, a page at a time. */
export function timelineRoutes(app: FastifyInstance, o: ConsoleOptions): void {
  app.get('/gateways/:gw/connections/:id/events', { schema: HTML_ROUTE }, async (req, reply) => {
    const s = req.console!;
    const { gw, id } = req.params as { gw: string; id: string };
    const start = (req.query as { start?: string }).start;
    const v = await o.control.connections.get(s.actor, gw, id);
    const back = html`<p><a href="/console/gateways/${gw}/connections/${id}">Back to connection ${v.connection.name}</a></p>`;
    const events = await o.control.connections.events(s.actor, gw, id, { limit: PAGE_SIZE, ...(start ? { start } : {}) });
    const list =
      events.items.length === 0
        ? html`<p role="status">No events recorded.</p>`
        : html`<p class="muted">${events.total} events, newest first.</p>
            <ol class="timeline">
              ${events.items.map(eventItem)}
            </ol>`;
    const more =
      events.next && html`<p><a href="/console/gateways/${gw}/connections/${id}/events?start=${encodeURIComponent(events.next)}">Older events</a></p>`;
    return sendPage(reply, 200, page(`Events of ${v.connection.name}`, html`${back}${list}${more}`, s));
  });
}
