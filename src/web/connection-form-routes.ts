import type { FastifyInstance } from 'fastify';
import type { ConnectionInput, GatewayView } from '../control/index.js';
import { parseAddress } from '../domain/cidr.js';
import { DEFAULT_DPD } from '../domain/connection.js';
import { FORM_ROUTE, HTML_ROUTE, sendPage, type ConsoleOptions } from './console-plugin.js';
import { type Choice, type FormBody, type FormErrors, fieldError, formErrors, generalErrors, input, NO_ERRORS, select, text } from './console-form.js';
import { csrfField, page } from './console-layout.js';
import type { ConsoleSession } from './console-session.js';
import { html } from './html-template.js';

const ALL = { limit: 1000, sort: 'name', desc: false } as const;

/** The form's fields by the control plane's names for them (what a DomainError's target says). */
const CONNECTION_FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  psk: 'psk',
  peer: 'peer_address',
  'peer.address': 'peer_address',
  'peer.fqdn': 'peer_address',
  localCidrs: 'local_cidrs',
  peerCidrs: 'peer_cidrs',
  cidrs: 'peer_cidrs',
  ikePolicy: 'ike_policy',
  ikePolicyId: 'ike_policy',
  ipsecPolicy: 'ipsec_policy',
  ipsecPolicyId: 'ipsec_policy',
};

/** CIDRs typed into one field, separated by commas, spaces or new lines. */
export const cidrList = (v: string): string[] => v.split(/[\s,]+/).filter(Boolean);

async function policyChoices(o: ConsoleOptions, s: ConsoleSession): Promise<{ ike: Choice[]; ipsec: Choice[] }> {
  const [ike, ipsec] = await Promise.all([o.control.ikePolicies.list(s.actor, ALL), o.control.ipsecPolicies.list(s.actor, ALL)]);
  const auto: Choice = { value: '', label: 'Automatic (the server proposes its defaults)' };
  return {
    ike: [auto, ...ike.items.map((p) => ({ value: p.policy.id, label: p.policy.name }))],
    ipsec: [auto, ...ipsec.items.map((p) => ({ value: p.policy.id, label: p.policy.name }))],
  };
}

async function newConnectionPage(o: ConsoleOptions, s: ConsoleSession, gw: GatewayView, body: FormBody, errors: FormErrors): Promise<string> {
  const g = gw.gateway;
  const policies = await policyChoices(o, s);
  const cidrHint = g.mode === 'policy' ? 'One or more CIDRs, separated by commas or spaces.' : 'Route mode: leave empty (routes decide what crosses).';
  return page(
    `New connection on ${g.name}`,
    html`<form method="post" action="/console/gateways/${g.id}/connections" class="card" novalidate>
      ${csrfField(s)}${generalErrors(errors)} ${input('Name', 'name', text(body, 'name'), errors, { hint: 'Optional; a name is made up when empty.' })}
      ${input('Peer address', 'peer_address', text(body, 'peer_address'), errors, { hint: "The peer gateway's public IPv4 address, or its FQDN." })}
      ${input('Pre-shared key', 'psk', '', errors, { type: 'password', autocomplete: 'new-password', hint: 'Both ends use the same key. It is not shown again here.' })}
      ${input('Local CIDRs', 'local_cidrs', text(body, 'local_cidrs'), errors, { hint: `Addresses on this side. ${cidrHint}` })}
      ${input('Peer CIDRs', 'peer_cidrs', text(body, 'peer_cidrs'), errors, { hint: `Addresses behind the peer. ${cidrHint}` })}
      ${select('IKE policy', 'ike_policy', policies.ike, text(body, 'ike_policy'), errors)}
      ${select('IPsec policy', 'ipsec_policy', policies.ipsec, text(body, 'ipsec_policy'), errors)}
      <button type="submit">Create the connection</button>
      <a href="/console/policies">Manage policies</a>
    </form>`,
    s,
  );
}

function connectionInput(body: FormBody): ConnectionInput | FormErrors {
  const peer = text(body, 'peer_address');
  const sent = body['psk'];
  const psk = (Array.isArray(sent) ? sent[sent.length - 1] : sent) ?? '';
  if (!peer) return fieldError('peer_address', "Enter the peer's public IP address or FQDN.");
  if (!psk) return fieldError('psk', 'Enter the pre-shared key both ends use.');
  const name = text(body, 'name');
  const ike = text(body, 'ike_policy');
  const ipsec = text(body, 'ipsec_policy');
  return {
    ...(name ? { name } : {}),
    psk,
    peer: parseAddress(peer) ? { address: peer } : { fqdn: peer },
    peerIdentity: null,
    localIdentities: [],
    localCidrs: cidrList(text(body, 'local_cidrs')),
    peerCidrs: cidrList(text(body, 'peer_cidrs')),
    ikePolicyId: ike || null,
    ipsecPolicyId: ipsec || null,
    dpd: DEFAULT_DPD,
    establishMode: 'bidirectional',
    adminStateUp: true,
  };
}

/** A new connection on a gateway: the form, and its create (messages next to the fields). */
export function connectionFormRoutes(app: FastifyInstance, o: ConsoleOptions): void {
  app.get('/gateways/:gw/connections/new', { schema: HTML_ROUTE }, async (req, reply) => {
    const s = req.console!;
    const gw = await o.control.gateways.get(s.actor, (req.params as { gw: string }).gw);
    return sendPage(reply, 200, await newConnectionPage(o, s, gw, {}, NO_ERRORS));
  });

  app.post('/gateways/:gw/connections', { schema: FORM_ROUTE }, async (req, reply) => {
    const s = req.console!;
    const gw = await o.control.gateways.get(s.actor, (req.params as { gw: string }).gw);
    const body = req.body as FormBody;
    const made = connectionInput(body);
    if ('fields' in made) return sendPage(reply, 400, await newConnectionPage(o, s, gw, body, made));
    try {
      const v = await o.control.connections.create(s.actor, gw.gateway.id, made);
      return reply.redirect(`/console/gateways/${gw.gateway.id}/connections/${v.connection.id}`, 303);
    } catch (err) {
      return sendPage(
        reply,
        400,
        await newConnectionPage(o, s, gw, body, formErrors(err, CONNECTION_FIELDS, { ike_policy: 'ike_policy', ipsec_policy: 'ipsec_policy' })),
      );
    }
  });
}
