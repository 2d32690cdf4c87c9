import type { FastifyInstance } from 'fastify';
import type { CidrSide, ConnectionView } from '../control/index.js';
import { DomainError } from '../domain/errors.js';
import { PEER_CONFIG_FILE_EXTENSIONS, PEER_CONFIG_FORMATS, type PeerConfigFormat } from '../domain/peer-config-formats.js';
import { FORM_ROUTE, HTML_ROUTE, sendPage, type ConsoleOptions } from './console-plugin.js';
import { type FormBody, type FormErrors, fieldError, formErrors, generalErrors, input, NO_ERRORS, select, text } from './console-form.js';
import { csrfField, page } from './console-layout.js';
import type { ConsoleSession } from './console-session.js';
import { connectionFormRoutes } from './connection-form-routes.js';
import { html, type Html } from './html-template.js';
import { connectionEvent, connectionStatus } from './status-views.js';

type Params = { gw: string; id: string };
const SIDES: readonly CidrSide[] = ['local', 'peer'];
const base = (c: ConnectionView): string => `/console/gateways/${c.connection.gatewayId}/connections/${c.connection.id}`;

function cidrSection(s: ConsoleSession, v: ConnectionView, side: CidrSide, body: FormBody, errors: FormErrors): Html {
  const list = side === 'local' ? v.connection.localCidrs : v.connection.peerCidrs;
  const field = `${side}_cidr`;
  return html`<section class="card" aria-labelledby="${side}-cidrs">
    <h2 id="${side}-cidrs">${side === 'local' ? 'Local' : 'Peer'} CIDRs</h2>
    <ul>
      ${list.map(
        (cidr) =>
          html`<li>
            <code>${cidr}</code>
            <form method="post" action="${base(v)}/cidrs/remove" class="inline">
              ${csrfField(s)}<input type="hidden" name="side" value="${side}" /><input type="hidden" name="cidr" value="${cidr}" />
              <button type="submit" class="secondary" aria-label="Remove ${side} CIDR ${cidr}">Remove</button>
            </form>
          </li>`,
      )}
    </ul>
    <form method="post" action="${base(v)}/cidrs" novalidate>
      ${csrfField(s)}<input type="hidden" name="side" value="${side}" />
      ${input(`Add a ${side} CIDR`, field, text(body, field), errors, { hint: 'For example 10.240.1.0/24.' })}
      <button type="submit">Add</button>
    </form>
  </section>`;
}

function detailPage(o: ConsoleOptions, s: ConsoleSession, v: ConnectionView, body: FormBody, errors: FormErrors): string {
  const c = v.connection;
  const formats = o.renderPeerConfig ? PEER_CONFIG_FORMATS : [];
  return page(
    `Connection ${c.name}`,
    html`<p><a href="/console/gateways#gw-${c.gatewayId}">Back to gateway ${v.gateway.name}</a></p>
      ${generalErrors(errors)}
      <section class="card" aria-labelledby="summary" hx-ext="sse" sse-connect="/console/status-stream">
        <h2 id="summary">Summary</h2>
        <dl>
          <dt>Status</dt>
          <dd sse-swap="${connectionEvent(c.id)}" aria-live="polite">${connectionStatus(v)}</dd>
          <dt>Gateway</dt>
          <dd>
            ${v.gateway.name} (${v.gateway.mode} mode, public IP
            ${v.gateway.members
              .map((m) => m.publicIp)
              .filter(Boolean)
              .join(', ')})
          </dd>
          <dt>Peer</dt>
          <dd>${c.peer.address ?? c.peer.fqdn}</dd>
          <dt>IKE policy</dt>
          <dd>${v.ikePolicy?.name ?? 'automatic'}</dd>
          <dt>IPsec policy</dt>
          <dd>${v.ipsecPolicy?.name ?? 'automatic'}</dd>
          <dt>Dead peer detection</dt>
          <dd>${c.dpd.action}, every ${c.dpd.intervalSeconds} s, dead after ${c.dpd.timeoutSeconds} s</dd>
        </dl>
        <p><a href="${base(v)}/events">Event timeline</a></p>
        <form method="post" action="${base(v)}/delete">${csrfField(s)}<button type="submit" class="secondary">Delete the connection ${c.name}</button></form>
      </section>
      ${c.kind === 'policy' && SIDES.map((side) => cidrSection(s, v, side, body, errors))}
      <section class="card" aria-labelledby="peer-config">
        <h2 id="peer-config">Peer configuration</h2>
        ${
          formats.length === 0
            ? html`<p class="muted">This server renders no peer configuration.</p>`
            : html`<form method="get" action="${base(v)}/peer-config">
                ${select(
                  'Format',
                  'format',
                  formats.map((f) => ({ value: f, label: f })),
                  formats[0],
                  NO_ERRORS,
                )}
                <button type="submit">Download the peer configuration</button>
              </form>`
        }
      </section>`,
    s,
  );
}

/** A connection's page: live status, CIDRs to add and remove, the peer configuration to download. */
export function connectionRoutes(app: FastifyInstance, o: ConsoleOptions): void {
  connectionFormRoutes(app, o);
  const get = (s: ConsoleSession, p: Params) => o.control.connections.get(s.actor, p.gw, p.id);

  app.get('/gateways/:gw/connections/:id', { schema: HTML_ROUTE }, async (req, reply) => {
    const s = req.console!;
    return sendPage(reply, 200, detailPage(o, s, await get(s, req.params as Params), {}, NO_ERRORS));
  });

  app.post('/gateways/:gw/connections/:id/delete', { schema: FORM_ROUTE }, async (req, reply) => {
    const s = req.console!;
    const p = req.params as Params;
    await o.control.connections.remove(s.actor, p.gw, p.id);
    return reply.redirect(`/console/gateways#gw-${p.gw}`, 303);
  });

  for (const op of ['add', 'remove'] as const) {
    app.post(`/gateways/:gw/connections/:id/cidrs${op === 'add' ? '' : '/remove'}`, { schema: FORM_ROUTE }, async (req, reply) => {
      const s = req.console!;
      const p = req.params as Params;
      const v = await get(s, p);
      const body = req.body as FormBody;
      const side = text(body, 'side') as CidrSide;
      if (!SIDES.includes(side)) return sendPage(reply, 400, detailPage(o, s, v, body, { fields: {}, general: ['Say which side: local or peer.'] }));
      const field = `${side}_cidr`;
      const cidr = op === 'add' ? text(body, field) : text(body, 'cidr');
      if (!cidr) return sendPage(reply, 400, detailPage(o, s, v, body, fieldError(field, 'Enter a CIDR, for example 10.240.1.0/24.')));
      try {
        await o.control.connections.cidr(s.actor, p.gw, p.id, side, cidr, op);
        return reply.redirect(`${base(v)}#${side}-cidrs`, 303);
      } catch (err) {
        if (err instanceof DomainError && err.kind === 'not_found' && err.subject?.resource === 'cidr')
          return sendPage(reply, 404, detailPage(o, s, v, body, { fields: {}, general: [err.message] }));
        const errors = formErrors(err, { cidr: field, localCidrs: field, peerCidrs: field });
        return sendPage(
          reply,
          400,
          detailPage(o, s, await get(s, p), body, op === 'add' ? errors : { fields: {}, general: Object.values(errors.fields).concat(errors.general) }),
        );
      }
    });
  }

  app.get('/gateways/:gw/connections/:id/peer-config', { schema: HTML_ROUTE }, async (req, reply) => {
    const s = req.console!;
    const p = req.params as Params;
    const formats = o.renderPeerConfig ? PEER_CONFIG_FORMATS : [];
    const format = (req.query as { format?: string }).format ?? formats[0] ?? '';
    const v = await get(s, p);
    if (!o.renderPeerConfig || !(formats as readonly string[]).includes(format)) {
      return sendPage(reply, 400, detailPage(o, s, v, {}, { fields: {}, general: [`There is no peer configuration format '${format}' here.`] }));
    }
    const conf = o.renderPeerConfig(await o.control.connections.desired(s.actor, p.gw, p.id), format as PeerConfigFormat);
    const file = `${v.connection.name.replace(/[^A-Za-z0-9._-]/g, '-')}-${format}.${PEER_CONFIG_FILE_EXTENSIONS[format as PeerConfigFormat]}`;
    return reply.type('text/plain; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(conf);
  });
}
