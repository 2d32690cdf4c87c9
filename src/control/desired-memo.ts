import {
  type ConnectionWithPolicies,
  type DesiredConnection,
  type DesiredGatewayState,
  desiredConnection,
  desiredGatewayState,
} from '../domain/desired-state.js';
import type { VpnGateway } from '../domain/gateway.js';

/** Past this many connections remembered, all are forgotten (deleted connections' entries go with them). */
const LIMIT = 20_000;

/**
 * Each connection's desired state as last built, by connection id, with the inputs it was built from:
 * a plan builds every connection of its gateway, and building and hashing them was two thirds of a
 * plan at 200 connections (one plan per reconcile). The inputs' whole JSON is the key, so anything in
 * them that changed (a status included) builds it afresh: desiredConnection is a function of them.
 * One per control plane; it holds pre-shared keys, as the plans it serves do.
 */
export class DesiredMemo {
  readonly #built = new Map<string, { readonly inputs: string; readonly desired: DesiredConnection }>();

  /** desiredGatewayState, with each connection built again only when its inputs changed. */
  gatewayState(gateway: VpnGateway, items: readonly ConnectionWithPolicies[]): DesiredGatewayState {
    const gatewayJson = JSON.stringify(gateway);
    return desiredGatewayState(gateway, items, (g, i) => this.#connection(g, gatewayJson, i));
  }

  #connection(gateway: VpnGateway, gatewayJson: string, i: ConnectionWithPolicies): DesiredConnection {
    const inputs = `${gatewayJson}|${JSON.stringify(i.connection)}|${JSON.stringify(i.ikePolicy ?? null)}|${JSON.stringify(i.ipsecPolicy ?? null)}`;
    const known = this.#built.get(i.connection.id);
    if (known?.inputs === inputs) return known.desired;
    const desired = desiredConnection(gateway, i.connection, i.ikePolicy, i.ipsecPolicy);
    if (this.#built.size >= LIMIT) this.#built.clear();
    this.#built.set(i.connection.id, { inputs, desired });
    return desired;
  }
}
