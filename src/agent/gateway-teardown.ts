import type { GatewayPlan } from '../control/index.js';
import { CharonSupervisor } from '../dataplane/lab/charon-supervisor.js';
import { removeGatewayNetwork } from '../dataplane/lab/gateway-network.js';
import { deleteNamespace } from '../dataplane/lab/ip-command.js';
import type { LabState } from '../dataplane/lab/lab-state.js';
import type { AgentBackend } from './agent-backend.js';
import { removeRouteTunnels } from './route-tunnels.js';

/**
 * Removes what the lab holds of a gateway once its member charons are stopped: its route tunnels,
 * its member namespaces, the VPC namespace unless another gateway shares it, and its lab record; then
 * tells the control plane it is released. A gateway the store no longer has goes by its lab record.
 */
export async function removeGatewayLab(
  d: { readonly labRoot: string; readonly labState: LabState; readonly backend: AgentBackend },
  gatewayId: string,
  plan: GatewayPlan,
): Promise<void> {
  const gw = plan.gateway;
  const privateIps = gw?.members.map((m) => m.privateIp.address) ?? [];
  await removeRouteTunnels(d.labRoot, gatewayId, gw && plan.vpcShared ? gw.vpcId : undefined, privateIps, plan.vpcRoutesShared);
  if (gw) {
    await removeGatewayNetwork(gw.id, gw.vpcId, privateIps, plan.vpcShared);
    await d.backend.released(gw.id, 'gateway', plan.generation);
  } else {
    // The gateway is gone from the store before its network was: what the lab record names still goes.
    const rec = d.labState.get('gateway', gatewayId);
    if (rec) {
      for (const dir of rec.charonDirs ?? []) await new CharonSupervisor({ ns: rec.ns, dir }).stop();
      for (const ns of new Set([rec.ns, ...(rec.namespaces ?? [])])) await deleteNamespace(ns);
      const shared = d.labState.all().some((r) => r.kind === 'gateway' && r.name !== gatewayId && r.vpcNs === rec.vpcNs);
      if (rec.vpcNs && !shared) await deleteNamespace(rec.vpcNs);
    }
  }
  d.labState.remove('gateway', gatewayId);
}
