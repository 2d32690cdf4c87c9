import type { FastifyInstance } from 'fastify';
import type { ConnectionView, GatewayView } from '../control/index.js';
import { GATEWAY_MODES, type GatewayMode } from '../domain/gateway.js';
import type { Actor } from '../domain/tenancy.js';
import { FORM_ROUTE, HTML_ROUTE, SECURITY_HEADERS, sendPage, type ConsoleOptions } from './console-plugin.js';
import { type Choice, type FormBody, type FormErrors, fieldError, formErrors, generalErrors, input, NO_ERRORS, select, text } from './console-form.js';
import { csrfField, page } from './console-layout.js';
import type { ConsoleSession } from './console-session.js';
import { html, type Html } from './html-template.js';
import type { StatusStreams } from './status-stream.js';
import { connectionEvent, connectionStatus, gatewayEvent, gatewayStatus } from './status-views.js';

const ALL = { limit: 1000, sort: 'created_at', desc: false } as const;
const connPath = (c: ConnectionView): string => `/console/gateways/${c.connection.gatewayId}/connections/${c.connection.id}`;

function connectionRows(list: readonly ConnectionView[]): Html {
  if (list.length === 0) return html`<p class="muted">No connections yet.</p>`;
  return html`<table>
    <caption class="muted">
      Connections
    </caption>
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Peer</th>
        <th scope="col">Local CIDRs</th>
        <th scope="col">Peer CIDRs</th>
        <th scope="col">Status</th>
      </tr>
    </thead>
    <tbody>
      ${list.map((v) => {
        const c = v.connection;
        return html`<tr id="conn-${c.id}">
          <td><a href="${connPath(v)}">${c.name}</a></td>
          <td>${c.peer.address ?? c.peer.fqdn}</td>
          <td>${c.localCidrs.join(', ')}</td>
          <td>${c.peerCidrs.join(', ')}</td>
          <td sse-swap="${connectionEvent(c.id)}" aria-live="polite">${connectionStatus(v)}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function gatewayCard(s: ConsoleSession, v: GatewayView, conns: readonly ConnectionView[]): Html {
  const g = v.gateway;
  return html`<section class="card" id="gw-${g.id}" aria-labelledby="gw-${g.id}-name">
    <h2 id="gw-${g.id}-name">${g.name}</h2>
    <p class="muted">${g.mode} mode · VPC ${v.vpc.name} · subnet ${v.subnet.name} · zone ${g.zone}</p>
    <div sse-swap="${gatewayEvent(g.id)}" aria-live="polite">${gatewayStatus(g)}</div>
    ${connectionRows(conns)}
    <p><a href="/console/gateways/${g.id}/connections/new">Add a connection to ${g.name}</a></p>
    ${
      g.lifecycleState !== 'deleting' &&
      html`<form method="post" action="/console/gateways/${g.id}/delete">
        ${csrfField(s)}<button type="submit" class="secondary">Delete the gateway ${g.name} and its connections</button>
      </form>`
    }
  </section>`;
}

/** The gateways and connections of the account, with the live status stream. */
async function listPage(o: ConsoleOptions, s: ConsoleSession): Promise<string> {
  const [gws, conns] = await Promise.all([o.control.gateways.list(s.actor, {}, ALL), o.control.connections.list(s.actor, {}, ALL)]);
  const body =
    gws.items.length === 0
      ? html`<p>No VPN gateways yet. <a href="/console/gateways/new">Create one</a>.</p>`
      : html`<div hx-ext="sse" sse-connect="/console/status-stream">
          ${gws.items.map((g) =>
            gatewayCard(
              s,
              g,
              conns.items.filter((c) => c.connection.gatewayId === g.gateway.id),
            ),
          )}
        </div>`;
  return page(
    'VPN gateways',
    html`<p><a href="/console/gateways/new">Create a VPN gateway</a></p>
      ${body}`,
    s,
  );
}

async function subnetChoices(o: ConsoleOptions, actor: Actor): Promise<Choice[]> {
  const subnets = await o.control.subnets.list(actor, ALL);
  return subnets.items.map((v) => ({ value: v.subnet.id, label: `${v.subnet.name} (${v.subnet.cidr}, ${v.subnet.zone})`, group: `VPC ${v.vpc.name}` }));
}

async function newGatewayPage(o: ConsoleOptions, s: ConsoleSession, body: FormBody, errors: FormErrors): Promise<string> {
  const subnets = await subnetChoices(o, s.actor);
  const form =
    subnets.length === 0
      ? html`<p role="alert">Your account has no subnet yet. <a href="/console/vpcs/new">Create a VPC and a subnet</a> first.</p>`
      : html`<form method="post" action="/console/gateways" class="card" novalidate>
          ${csrfField(s)}${generalErrors(errors)}
          ${input('Name', 'name', text(body, 'name'), errors, { hint: 'Optional: lowercase letters, digits and hyphens. A name is made up when empty.' })}
          ${select('VPC and subnet', 'subnet', subnets, text(body, 'subnet'), errors, { hint: 'The gateway takes two private addresses of this subnet.' })}
          ${select(
            'Mode',
            'mode',
            GATEWAY_MODES.map((m) => ({ value: m, label: m === 'policy' ? 'policy (one active member, one public IP)' : 'route (two active members)' })),
            text(body, 'mode') || 'policy',
            errors,
          )}
          <button type="submit">Create the gateway</button>
        </form>`;
  return page('New VPN gateway', form, s);
}

const GATEWAY_FIELDS = { name: 'name', subnetId: 'subnet', subnet: 'subnet', mode: 'mode' } as const;

/** /console/gateways: the list with live status, a new gateway, and the status stream. */
export function gatewayRoutes(app: FastifyInstance, o: ConsoleOptions, streams: StatusStreams): void {
  app.get('/gateways', { schema: HTML_ROUTE }, async (req, reply) => sendPage(reply, 200, await listPage(o, req.console!)));

  app.get('/status-stream', { schema: { ...HTML_ROUTE, response: { 200: { type: 'string', description: 'text/event-stream' } } } }, async (req, reply) =>
    streams.open(req, reply, SECURITY_HEADERS),
  );

  app.post('/gateways/:gw/delete', { schema: FORM_ROUTE }, async (req, reply) => {
    await o.control.gateways.remove(req.console!.actor, (req.params as { gw: string }).gw);
    return reply.redirect('/console/gateways', 303);
  });

  app.get('/gateways/new', { schema: HTML_ROUTE }, async (req, reply) => sendPage(reply, 200, await newGatewayPage(o, req.console!, {}, NO_ERRORS)));

  app.post('/gateways', { schema: FORM_ROUTE }, async (req, reply) => {
    const s = req.console!;
    const body = req.body as FormBody;
    const subnetId = text(body, 'subnet');
    const mode = text(body, 'mode') as GatewayMode;
    const name = text(body, 'name');
    if (!subnetId) return sendPage(reply, 400, await newGatewayPage(o, s, body, fieldError('subnet', 'Choose a subnet.')));
    if (!GATEWAY_MODES.includes(mode)) return sendPage(reply, 400, await newGatewayPage(o, s, body, fieldError('mode', 'Choose policy or route.')));
    try {
      const v = await o.control.gateways.create(s.actor, { subnetId, mode, ...(name ? { name } : {}) });
      return reply.redirect(`/console/gateways#gw-${v.gateway.id}`, 303);
    } catch (err) {
      return sendPage(reply, 400, await newGatewayPage(o, s, body, formErrors(err, GATEWAY_FIELDS, { subnet: 'subnet' })));
    }
  });
}
