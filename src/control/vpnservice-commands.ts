import { DomainError } from '../domain/errors.js';
import type { VpnGateway } from '../domain/gateway.js';
import type { Actor } from '../domain/tenancy.js';
import { getGateway } from '../store/gateway-store.js';
import type { Executor } from '../store/schema.js';
import { deleteVpnService, getVpnService, insertVpnService, routerForVpn, saveVpnService, type VpnServiceExtras } from '../store/vpnservice-store.js';
import type { ControlDeps } from './control-deps.js';
import { deleteGateway } from './delete-gateway.js';
import { createGateway, updateGateway } from './gateway-commands.js';

/** Why a VPN service cannot go on a router: Neutron's exception name, for the dialect to show. */
export class VpnServiceRefusal extends Error {
  constructor(readonly type: 'RouterNotFound' | 'RouterIsNotExternal' | 'SubnetIsNotConnectedToRouter' | 'RouterHasNoSubnet', message: string) {
    super(message);
  }
}

export interface VpnServiceInput {
  readonly accountId: string;
  readonly routerId: string;
  readonly subnetId: string | null;
  readonly name?: string;
  readonly description: string;
  readonly adminStateUp: boolean;
  readonly flavorId: string | null;
}

/**
 * A Neutron vpnservice is a policy-mode VPN gateway (domain-mapping §2) on a router that has an
 * external gateway, placed in the legacy subnet or else the router's first subnet. The gateway and
 * its vpnservice record are written in one transaction.
 */
export async function createVpnService(deps: ControlDeps, actor: Actor, input: VpnServiceInput): Promise<{ gateway: VpnGateway; extras: VpnServiceExtras }> {
  const router = await routerForVpn(deps.db, input.routerId);
  if (!router || (!actor.isAdmin && router.accountId !== actor.accountId)) {
    throw new VpnServiceRefusal('RouterNotFound', `Router ${input.routerId} could not be found`);
  }
  if (!router.external) throw new VpnServiceRefusal('RouterIsNotExternal', `Router ${input.routerId} has no external network gateway set`);
  if (input.subnetId !== null && !router.subnetIds.includes(input.subnetId)) {
    throw new VpnServiceRefusal('SubnetIsNotConnectedToRouter', `Subnet ${input.subnetId} is not connected to Router ${input.routerId}`);
  }
  const placement = input.subnetId ?? router.subnetIds[0];
  if (!placement) throw new VpnServiceRefusal('RouterHasNoSubnet', `Router ${input.routerId} has no subnet: Causeway places the VPN service's gateway in one of the router's subnets`);
  const extras: VpnServiceExtras = { gatewayId: '', routerId: input.routerId, subnetId: input.subnetId, description: input.description, adminStateUp: input.adminStateUp, flavorId: input.flavorId };
  let saved = extras;
  const gateway = await createGateway(deps, actor, {
    subnetId: placement, mode: 'policy', ...(input.name ? { name: input.name } : {}),
    alongside: async (ex, g) => {
      saved = { ...extras, gatewayId: g.id };
      await insertVpnService(ex, saved);
    },
  });
  return { gateway, extras: saved };
}

/** Neutron refuses to delete a VPN service that still has connections (409); otherwise the gateway goes, even while pending. */
export async function removeVpnService(deps: ControlDeps, actor: Actor, gatewayId: string): Promise<void> {
  await deleteGateway(deps, actor, gatewayId, {
    evenIfPending: true,
    alongside: async (ex: Executor) => {
      const live = (await deps.connections.refsOfGateway(ex, gatewayId));
      const deleting = new Set((await deps.connections.inState(ex, 'deleting')).map((c) => c.id));
      if (live.some((c) => !deleting.has(c.id))) throw new DomainError('vpn_service_in_use', `VPNService ${gatewayId} is still in use`);
      await deleteVpnService(ex, gatewayId);
    },
  });
}

export async function updateVpnService(deps: ControlDeps, actor: Actor, gatewayId: string, patch: { name?: string; description?: string; adminStateUp?: boolean }): Promise<VpnGateway> {
  const gw = patch.name !== undefined ? await updateGateway(deps, actor, gatewayId, { name: patch.name }) : await getGateway(deps.db, gatewayId);
  if (!gw) throw new DomainError('vpn_gateway_not_found', `VPNService ${gatewayId} could not be found`);
  if (patch.description !== undefined || patch.adminStateUp !== undefined) {
    const cur = (await getVpnService(deps.db, gatewayId)) ?? { gatewayId, routerId: null, subnetId: null, description: '', adminStateUp: true, flavorId: null };
    const next = { ...cur, ...(patch.description !== undefined ? { description: patch.description } : {}), ...(patch.adminStateUp !== undefined ? { adminStateUp: patch.adminStateUp } : {}) };
    if (await getVpnService(deps.db, gatewayId)) await saveVpnService(deps.db, next);
    else await insertVpnService(deps.db, next);
  }
  return gw;
}
