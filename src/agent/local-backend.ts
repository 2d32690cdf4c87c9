import type { ControlDeps } from '../control/control-deps.js';
import { applyAgentReport, gatewayPlan, releaseDeleted, type AgentReport, type GatewayPlan } from '../control/gateway-plan.js';
import type { ReleaseScope } from '../control/finalize-deletes.js';
import type { AgentBackend } from './agent-backend.js';

/** The in-process backend of `causeway serve --dataplane lab`: the control plane's own store and change bus. */
export class LocalBackend implements AgentBackend {
  constructor(private readonly control: ControlDeps) {}

  async gatewayIds(): Promise<string[]> {
    return (await this.control.db.selectFrom('vpn_gateways').select('id').execute()).map((r) => r.id);
  }

  plan(gatewayId: string): Promise<GatewayPlan> {
    return gatewayPlan(this.control, gatewayId);
  }

  report(gatewayId: string, report: AgentReport): Promise<void> {
    return applyAgentReport(this.control, gatewayId, report);
  }

  async released(gatewayId: string, scope: ReleaseScope): Promise<void> {
    await releaseDeleted(this.control, gatewayId, scope);
  }

  watch(onChange: (gatewayIds: readonly string[] | 'all') => void): () => void {
    const off = this.control.changes.subscribe((c) => onChange(c.gatewayIds));
    onChange('all');
    return off;
  }
}
