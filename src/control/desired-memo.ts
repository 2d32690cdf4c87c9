import { type ConnectionWithPolicies, type DesiredConnection, type DesiredGatewayState, desiredGatewayState } from '../domain/desired-state.js';
import { desiredConnection } from '../domain/desired-connection.js';
import type { Connection } from '../domain/connection.js';
import type { VpnGateway } from '../domain/gateway.js';

/** Past this many connections remembered, all are forgotten (deleted connections' entries go with them). */
const LIMIT = 20_000;

/**
 * What desiredConnection reads of a gateway: its id and its members' places. Its status, health and
 * lifecycle change with what the agent reports, and change no connection's desired state.
 */
export function gatewayInputs(gw: VpnGateway): string {
  return JSON.stringify([gw.id, gw.members.map((m) => [m.index, m.role, m.publicIp])]);
}

/**
 * What desiredConnection reads of a connection: all but what the agent reports (status, reasons, the
 * tunnels up, the first up, the lifecycle) and the time of the last write. During a bring-up each
 * connection's status and lifecycle change two or three times, and each change built it afresh.
 */
export function connectionInputs(c: Connection): string {
  const { status, statusReasons, tunnelsUp, firstUpAt, lifecycleState, updatedAt, ...config } = c;
  return JSON.stringify(config);
}

/**
 * Each connection's desired state as last built, by connection id, with the inputs it was built from:
 * a plan builds every connection of its gateway, and building and hashing them was two thirds of a
 * plan at 200 connections (one plan per reconcile). The key is everything desiredConnection reads
 * (gatewayInputs, connectionInputs, both policies), so whatever it reads that changed builds it afresh.
 * One per control plane; it holds pre-shared keys, as the plans it serves do.
 */
export class DesiredMemo {
  readonly #built = new Map<string, { readonly inputs: string; readonly desired: DesiredConnection }>();

  /** desiredGatewayState, with each connection built again only when its inputs changed. */
  gatewayState(gateway: VpnGateway, items: readonly ConnectionWithPolicies[]): DesiredGatewayState {
    const gatewayJson = gatewayInputs(gateway);
    return desiredGatewayState(gateway, items, (g, i) => this.#connection(g, gatewayJson, i));
  }

  #connection(gateway: VpnGateway, gatewayJson: string, i: ConnectionWithPolicies): DesiredConnection {
    const inputs = `${gatewayJson}|${connectionInputs(i.connection)}|${JSON.stringify(i.ikePolicy ?? null)}|${JSON.stringify(i.ipsecPolicy ?? null)}`;
    const known = this.#built.get(i.connection.id);
    if (known?.inputs === inputs) return known.desired;
    const desired = desiredConnection(gateway, i.connection, i.ikePolicy, i.ipsecPolicy);
    if (this.#built.size >= LIMIT) this.#built.clear();
    this.#built.set(i.connection.id, { inputs, desired });
    return desired;
  }
}
