import type { ConnectionStatusView } from '../control/index.js';
import type { VpnGateway } from '../domain/gateway.js';
import type { Reason } from '../domain/tenancy.js';
import { html, type Html } from './html-template.js';

/** The SSE event names a page listens to, per object. */
export const gatewayEvent = (id: string): string => `gw-${id}`;
export const connectionEvent = (id: string): string => `conn-${id}`;

/** Reasons in words: the domain's messages. */
export function reasonList(reasons: readonly Reason[]): Html {
  return html`${
    reasons.length > 0 &&
    html`<ul class="reasons">
      ${reasons.map((r) => html`<li data-code="${r.code}">${r.message}</li>`)}
    </ul>`
  }`;
}

/** What a gateway's live cell shows: its state and health, its reasons, each member with its role. */
export function gatewayStatus(g: VpnGateway): Html {
  return html`<p><span class="state">State: ${g.lifecycleState}, health: ${g.healthState}</span></p>
    ${reasonList(g.healthReasons)}
    <ul class="members" aria-label="Members">
      ${g.members.map(
        (m) =>
          html`<li>
            Member ${m.index}: <strong>${m.role}</strong>, public IP ${m.publicIp ?? 'none'}, private IP ${m.privateIp.address},
            ${m.lifecycleState}/${m.healthState}${reasonList(m.healthReasons)}
          </li>`,
      )}
    </ul>`;
}

/** What a connection's live cell shows: up or down, its lifecycle, the reasons. */
export function connectionStatus(v: ConnectionStatusView): Html {
  const c = v.connection;
  return html`<span class="status status-${c.status}" data-status="${c.status}">${c.status}</span>
    <span class="state">${c.lifecycleState}</span>${reasonList(v.statusReasons)}`;
}
