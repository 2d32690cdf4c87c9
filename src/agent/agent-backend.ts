import type { AgentReport, GatewayPlan, ReleaseScope } from '../control/index.js';
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
  /** Resolves to whether the control plane applied it (it ignores one computed against an older plan than one it applied). */
  report(gatewayId: string, report: AgentReport): Promise<boolean>;
  /**
   * The data plane let go of what was being deleted on this gateway in the plan of `generation`: its
   * deleted connections only, or (once its namespaces are gone) the whole gateway. The server may then
   * remove it; what was deleted after that plan stays until a later release.
   */
  released(gatewayId: string, scope: ReleaseScope, generation: number): Promise<void>;
  /**
   * Calls back with the gateways a change touches, reading the change log from the last generation
   * seen; with 'all' when changes may have been missed (start, a log that no longer reaches back that
   * far), so the agent resyncs everything. Returns the unsubscribe function.
   */
  watch(onChange: (gatewayIds: readonly string[] | 'all') => void): () => void;
}
