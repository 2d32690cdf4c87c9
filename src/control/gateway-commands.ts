import { pickAddresses, POOL_RESERVED_LOW, SUBNET_RESERVED_LOW } from '../domain/address-pool.js';
import { parseCidr } from '../domain/cidr.js';
import { DomainError, invalidField } from '../domain/errors.js';
import { DEFAULT_LOCAL_ASN, GATEWAY_PRIVATE_IPS, type GatewayMember, type GatewayMode, isRestrictedAsn, MAX_ASN, publicIpCount, type VpnGateway } from '../domain/gateway.js';
import { newId } from '../domain/ids.js';
import { reason } from '../domain/status-reasons.js';
import type { Actor, HealthState, LifecycleState, Reason } from '../domain/tenancy.js';
import { gatewaysOfAccount, gatewaysOfVpc, getGateway, insertGateway, saveGateway } from '../store/gateway-store.js';
import { getSubnet, insertPublicIp, insertReservedIp, reservedAddresses, usedPublicIps } from '../store/network-store.js';
import type { Executor } from '../store/schema.js';
import { visible } from './access.js';
import type { ControlDeps } from './control-deps.js';
import { freeName } from './free-name.js';
import { resolveGroup } from './resolve-group.js';

export interface GatewayInput {
  readonly subnetId: string;
  readonly mode: GatewayMode;
  readonly name?: string;
  readonly resourceGroupId?: string;
  readonly localAsn?: number;
  readonly advertisedCidrs?: readonly string[];
  /** Runs in the create's transaction once the gateway row exists (a dialect's own record of it, e.g. Neutron's vpnservice). */
  readonly alongside?: (ex: Executor, g: VpnGateway) => Promise<void>;
}

/** The state a new object starts in: with no data plane it is stable at once, with the reason said. */
export function initialState(deps: ControlDeps): { lifecycle: LifecycleState; health: HealthState; reasons: Reason[] } {
  return deps.settings.dataplane === 'none'
    ? { lifecycle: 'stable', health: 'degraded', reasons: [reason('data_plane_not_attached')] }
    : { lifecycle: 'pending', health: 'inapplicable', reasons: [] };
}

export function checkAsn(asn: number, field: string): void {
  if (!Number.isInteger(asn) || asn < 1 || asn > MAX_ASN) throw invalidField(field, `The ASN must be between 1 and ${MAX_ASN}.`, asn);
  if (isRestrictedAsn(asn)) throw invalidField(field, `ASN ${asn} is reserved and cannot be used.`, asn);
}

async function checkGatewayName(ex: Executor, vpcId: string, name: string, exceptId?: string): Promise<void> {
  if ((await gatewaysOfVpc(ex, vpcId)).some((g) => g.name === name && g.id !== exceptId)) {
    throw new DomainError('name_not_unique', `The VPC already has a VPN gateway named '${name}'.`, { type: 'field', name: 'name', value: name });
  }
}

export async function createGateway(deps: ControlDeps, actor: Actor, input: GatewayInput): Promise<VpnGateway> {
  const q = deps.settings.quotas;
  if (input.mode === 'policy' && (input.localAsn !== undefined || input.advertisedCidrs !== undefined)) {
    throw new DomainError('mode_mismatch', 'local_asn and advertised_cidrs apply to route-mode gateways only.', { type: 'field', name: input.localAsn !== undefined ? 'localAsn' : 'advertisedCidrs' });
  }
  if (input.localAsn !== undefined) checkAsn(input.localAsn, 'localAsn');
  const advertised = (input.advertisedCidrs ?? []).map((c) => {
    const p = parseCidr(c);
    if (!p.ok || p.hostBitsSet || p.cidr.family !== 4) throw invalidField('advertisedCidrs', `'${c}' is not a valid IPv4 CIDR.`, c);
    return p.cidr.text;
  });
  if (new Set(advertised).size !== advertised.length) throw invalidField('advertisedCidrs', 'advertised_cidrs lists a CIDR twice.');
  if (advertised.length > q.advertisedCidrs) throw new DomainError('over_quota', `A gateway advertises at most ${q.advertisedCidrs} CIDRs.`);
  const gateway = await deps.db.transaction().execute(async (trx) => {
    const subnet = visible(actor, await getSubnet(trx, input.subnetId), 'subnet_not_found', input.subnetId);
    const group = await resolveGroup(trx, actor, input.resourceGroupId, subnet.accountId);
    // A gateway being deleted no longer counts: it is gone for the user, only the data plane still holds it.
    const mine = (await gatewaysOfAccount(trx, subnet.accountId)).filter((g) => g.lifecycleState !== 'deleting');
    if (mine.length >= q.gatewaysPerAccount) throw new DomainError('over_quota', `The account already has ${q.gatewaysPerAccount} VPN gateways, the quota for the region.`);
    const inZone = mine.filter((g) => g.zone === subnet.zone);
    if (inZone.length >= q.gatewaysPerZone) throw new DomainError('over_quota', `The account already has ${q.gatewaysPerZone} VPN gateways in zone ${subnet.zone}, the quota.`);
    if (input.mode === 'route' && inZone.filter((g) => g.mode === 'route' && g.vpcId === subnet.vpcId).length >= q.routeGatewaysPerZonePerVpc) {
      throw new DomainError('over_quota', `The VPC already has a route-mode VPN gateway in zone ${subnet.zone}.`);
    }
    const siblings = await gatewaysOfVpc(trx, subnet.vpcId);
    const name = input.name ?? (await freeName(async (n) => siblings.some((g) => g.name === n)));
    await checkGatewayName(trx, subnet.vpcId, name);

    const id = newId();
    const subnetCidr = parseCidr(subnet.cidr);
    const privates = subnetCidr.ok ? pickAddresses(subnetCidr.cidr, await reservedAddresses(trx, subnet.id), GATEWAY_PRIVATE_IPS, SUBNET_RESERVED_LOW) : [];
    if (privates.length < GATEWAY_PRIVATE_IPS) throw new DomainError('subnet_ip_exhausted', `Subnet '${subnet.name}' has no room for the gateway's ${GATEWAY_PRIVATE_IPS} members.`);
    const publics = pickAddresses(deps.settings.publicPool, await usedPublicIps(trx), publicIpCount(input.mode), POOL_RESERVED_LOW);
    if (publics.length < publicIpCount(input.mode)) throw new DomainError('public_ip_exhausted', `The public IP pool ${deps.settings.publicPool.text} is exhausted.`);

    const st = initialState(deps);
    const members: GatewayMember[] = privates.map((address, i) => {
      const index = (i + 1) as 1 | 2;
      return {
        index, role: input.mode === 'policy' && index === 2 ? 'standby' : 'active',
        publicIp: publics[i] ?? null, privateIp: { id: newId(), address },
        lifecycleState: st.lifecycle, healthState: st.health, healthReasons: st.reasons,
      };
    });
    for (const m of members) {
      await insertReservedIp(trx, { id: m.privateIp.id, subnetId: subnet.id, address: m.privateIp.address, ownerId: id });
      if (m.publicIp) await insertPublicIp(trx, m.publicIp, id, m.index);
    }
    const now = deps.clock.now();
    const g: VpnGateway = {
      id, accountId: subnet.accountId, resourceGroupId: group.id, name, vpcId: subnet.vpcId, subnetId: subnet.id, zone: subnet.zone,
      mode: input.mode, members, advertisedCidrs: advertised, localAsn: input.localAsn ?? DEFAULT_LOCAL_ASN,
      lifecycleState: st.lifecycle, healthState: st.health, healthReasons: st.reasons, revision: 1, createdAt: now, updatedAt: now,
    };
    await insertGateway(trx, g);
    await input.alongside?.(trx, g);
    return g;
  });
  deps.changes.publish({ resource: 'vpn_gateway', id: gateway.id, action: 'created', gatewayIds: [gateway.id] });
  return gateway;
}

export function liveGateway(actor: Actor, g: VpnGateway | undefined, id: string): VpnGateway {
  const gw = visible(actor, g, 'vpn_gateway_not_found', id);
  if (gw.lifecycleState === 'deleting') throw new DomainError('resource_deleting', `VPN gateway '${id}' is being deleted.`);
  if (gw.lifecycleState === 'suspended') throw new DomainError('resource_not_ready', `VPN gateway '${id}' is suspended and cannot be changed.`);
  return gw;
}

export async function updateGateway(deps: ControlDeps, actor: Actor, id: string, patch: { name?: string; localAsn?: number }): Promise<VpnGateway> {
  const g = await deps.db.transaction().execute(async (trx) => {
    const gw = liveGateway(actor, await getGateway(trx, id), id);
    if (patch.localAsn !== undefined) {
      if (gw.mode !== 'route') throw new DomainError('mode_mismatch', 'local_asn applies to route-mode gateways only.', { type: 'field', name: 'localAsn' });
      checkAsn(patch.localAsn, 'localAsn');
    }
    if (patch.name !== undefined) await checkGatewayName(trx, gw.vpcId, patch.name, gw.id);
    const changed = (patch.name !== undefined && patch.name !== gw.name) || (patch.localAsn !== undefined && patch.localAsn !== gw.localAsn);
    if (!changed) return gw;
    const next: VpnGateway = { ...gw, name: patch.name ?? gw.name, localAsn: patch.localAsn ?? gw.localAsn, revision: gw.revision + 1, updatedAt: deps.clock.now() };
    await saveGateway(trx, next);
    return next;
  });
  deps.changes.publish({ resource: 'vpn_gateway', id, action: 'updated', gatewayIds: [id] });
  return g;
}

/** Advertised CIDRs (route mode): 'added' | 'exists' on add, throws cidr_not_found on a missing remove. */
export async function editAdvertisedCidr(deps: ControlDeps, actor: Actor, id: string, cidrText: string, op: 'add' | 'remove' | 'check'): Promise<'added' | 'exists' | 'removed'> {
  const p = parseCidr(cidrText);
  if (!p.ok || p.hostBitsSet || p.cidr.family !== 4) throw new DomainError('invalid_value', `'${cidrText}' is not a valid IPv4 CIDR.`, { type: 'parameter', name: 'cidr', value: cidrText });
  const cidr = p.cidr.text;
  const result = await deps.db.transaction().execute(async (trx) => {
    const gw = op === 'check' ? visible(actor, await getGateway(trx, id), 'vpn_gateway_not_found', id) : liveGateway(actor, await getGateway(trx, id), id);
    if (gw.mode !== 'route') throw new DomainError('mode_mismatch', 'Advertised CIDRs apply to route-mode gateways only.');
    const has = gw.advertisedCidrs.includes(cidr);
    if (op === 'check' || (op === 'remove' && !has)) {
      if (!has) throw new DomainError('cidr_not_found', `CIDR ${cidr} is not advertised by this gateway.`);
      return 'exists' as const;
    }
    if (op === 'add' && has) return 'exists' as const;
    if (op === 'add' && gw.advertisedCidrs.length >= deps.settings.quotas.advertisedCidrs) {
      throw new DomainError('over_quota', `A gateway advertises at most ${deps.settings.quotas.advertisedCidrs} CIDRs.`);
    }
    const list = op === 'add' ? [...gw.advertisedCidrs, cidr] : gw.advertisedCidrs.filter((c) => c !== cidr);
    await saveGateway(trx, { ...gw, advertisedCidrs: list, revision: gw.revision + 1, updatedAt: deps.clock.now() });
    return op === 'add' ? ('added' as const) : ('removed' as const);
  });
  if (result !== 'exists') deps.changes.publish({ resource: 'vpn_gateway', id, action: 'updated', gatewayIds: [id] });
  return result;
}
