import type { AgentReport, ControlPlane, GatewayPlan, ReleaseScope } from '../control/index.js';
import type { AgentBackend } from './agent-backend.js';

/**
 * The in-process backend of `causeway serve --dataplane lab`: the control plane itself. Its watch
 * follows the change log exactly as a remote agent's feed does (woken at once by this process's
 * commits, and by polling for other servers' commits on the same database).
 */
export class LocalBackend implements AgentBackend {
  constructor(private readonly control: ControlPlane) {}

  gatewayIds(): Promise<string[]> {
    return this.control.agent.gatewayIds();
  }

  plan(gatewayId: string): Promise<GatewayPlan> {
    return this.control.agent.plan(gatewayId);
  }

  report(gatewayId: string, report: AgentReport): Promise<boolean> {
    return this.control.agent.report(gatewayId, report);
  }

  async released(gatewayId: string, scope: ReleaseScope, generation: number): Promise<void> {
    await this.control.agent.released(gatewayId, { scope, generation });
  }

  watch(onChange: (gatewayIds: readonly string[] | 'all') => void): () => void {
    let stop: (() => void) | undefined;
    let stopped = false;
    void this.control.changes.current().then((from) => {
      if (stopped) return;
      onChange('all');
      stop = this.control.changes.follow(from, (b) => (b.resync ? onChange('all') : onChange([...new Set(b.entries.flatMap((e) => e.gatewayIds))])));
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }
}
