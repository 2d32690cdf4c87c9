import type { AgentReport, GatewayPlan } from '../control/gateway-plan.js';
import type { ReleaseScope } from '../control/finalize-deletes.js';
import type { Cidr } from '../domain/cidr.js';

/** The lab settings an agent must share with the server that allocated the addresses. */
export interface LabSettings {
  readonly pools: { readonly gateways: Cidr; readonly sites: Cidr };
  /** The lab internet's namespace. */
  readonly internetNs: string;
}

/**
 * Where an agent reads desired state and reports what it observed: the store itself when it runs
 * inside `causeway serve` (local-backend.ts), the agent API when it runs standalone (http-backend.ts).
 */
export interface AgentBackend {
  /** Every gateway the agent serves, those being deleted included. */
  gatewayIds(): Promise<string[]>;
  plan(gatewayId: string): Promise<GatewayPlan>;
  report(gatewayId: string, report: AgentReport): Promise<void>;
  /**
   * The data plane let go of what is being deleted on this gateway: its deleted connections only, or
   * (once its namespaces are gone) the whole gateway. The server may then remove it.
   */
  released(gatewayId: string, scope: ReleaseScope): Promise<void>;
  /**
   * Calls back with the gateways a change touches; with 'all' when changes may have been missed
   * (start, reconnect), so the agent resyncs everything. Returns the unsubscribe function.
   */
  watch(onChange: (gatewayIds: readonly string[] | 'all') => void): () => void;
}
