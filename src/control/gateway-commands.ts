import { pickAddresses, POOL_RESERVED_LOW, SUBNET_RESERVED_LOW } from '../domain/address-pool.js';
import { parseCidr } from '../domain/cidr.js';
import { DomainError, invalidField, notFound } from '../domain/errors.js';
import {
  DEFAULT_LOCAL_ASN,
  GATEWAY_PRIVATE_IPS,
  type GatewayMember,
  type GatewayMode,
  isRestrictedAsn,
  MAX_ASN,
  publicIpCount,
  type VpnGateway,
} from '../domain/gateway.js';
import { newId } from '../domain/ids.js';
import { reason } from '../domain/status-reasons.js';
import type { HealthState, LifecycleState, Reason } from '../domain/tenancy.js';
import { gatewaysOfAccount, gatewaysOfVpc, getGateway, insertGateway, saveGateway } from '../store/gateway-store.js';
import { getSubnet, insertPublicIp, insertReservedIp, reservedAddresses, usedPublicIps } from '../store/network-store.js';
import { visibleTo } from './access.js';
import { type WriteOptions, writeExtras } from './extras.js';
import { freeName } from './free-name.js';
import { gatewayView, type GatewayView } from './gateway-queries.js';
import { resolveGroup } from './resolve-group.js';
import type { Tx } from './tx.js';

export interface GatewayInput {
  readonly subnetId: string;
  readonly mode: GatewayMode;
  readonly name?: string;
  readonly resourceGroupId?: string;
  readonly localAsn?: number;
  readonly advertisedCidrs?: readonly string[];
}

export interface GatewayPatch {
  readonly name?: string;
  readonly localAsn?: number;
}

/** The state a new object starts in: with no data plane it is stable at once, with the reason said. */
export function initialState(tx: Tx): { lifecycle: LifecycleState; health: HealthState; reasons: Reason[] } {
  return tx.settings.dataplane === 'none'
    ? { lifecycle: 'stable', health: 'degraded', reasons: [reason('data_plane_not_attached')] }
    : { lifecycle: 'pending', health: 'inapplicable', reasons: [] };
}

export function checkAsn(asn: number, field: string): void {
  if (!Number.isInteger(asn) || asn < 1 || asn > MAX_ASN) throw invalidField(field, `The ASN must be between 1 and ${MAX_ASN}.`, asn);
  if (isRestrictedAsn(asn)) throw invalidField(field, `ASN ${asn} is reserved and cannot be used.`, asn);
}

/** A gateway the actor may change: visible, not being deleted, not suspended. */
export function liveGateway(tx: Tx, g: VpnGateway | undefined, id: string): VpnGateway {
  const gw = visibleTo(tx.actor, g, 'vpn_gateway', id);
  if (gw.lifecycleState === 'deleting') throw new DomainError('resource_deleting', `VPN gateway '${id}' is being deleted.`);
  if (gw.lifecycleState === 'suspended') throw new DomainError('resource_not_ready', `VPN gateway '${id}' is suspended and cannot be changed.`);
  return gw;
}

function checkAdvertised(tx: Tx, input: GatewayInput): string[] {
  if (input.mode === 'policy' && (input.localAsn !== undefined || input.advertisedCidrs !== undefined)) {
    throw new DomainError('mode_mismatch', 'local_asn and advertised_cidrs apply to route-mode gateways only.', {
      type: 'field',
      name: input.localAsn !== undefined ? 'localAsn' : 'advertisedCidrs',
    });
  }
  if (input.localAsn !== undefined) checkAsn(input.localAsn, 'localAsn');
  const advertised = (input.advertisedCidrs ?? []).map((c) => {
    const p = parseCidr(c);
    if (!p.ok || p.hostBitsSet || p.cidr.family !== 4) throw invalidField('advertisedCidrs', `'${c}' is not a valid IPv4 CIDR.`, c);
    return p.cidr.text;
  });
  if (new Set(advertised).size !== advertised.length) throw invalidField('advertisedCidrs', 'advertised_cidrs lists a CIDR twice.');
  if (advertised.length > tx.settings.quotas.advertisedCidrs)
    throw new DomainError('over_quota', `A gateway advertises at most ${tx.settings.quotas.advertisedCidrs} CIDRs.`);
  return advertised;
}

/** A gateway in a subnet: quotas, two private addresses in the subnet, public addresses from the pool. */
export async function createGateway(tx: Tx, input: GatewayInput, opts: WriteOptions = {}): Promise<GatewayView> {
  const q = tx.settings.quotas;
  const advertised = checkAdvertised(tx, input);
  const subnet = visibleTo(tx.actor, await getSubnet(tx.ex, input.subnetId), 'subnet', input.subnetId);
  const group = await resolveGroup(tx, input.resourceGroupId, subnet.accountId);
  // A gateway being deleted no longer counts: it is gone for the user, only the data plane still holds it.
  const mine = (await gatewaysOfAccount(tx.ex, subnet.accountId)).filter((g) => g.lifecycleState !== 'deleting');
  if (mine.length >= q.gatewaysPerAccount)
    throw new DomainError('over_quota', `The account already has ${q.gatewaysPerAccount} VPN gateways, the quota for the region.`);
  const inZone = mine.filter((g) => g.zone === subnet.zone);
  if (inZone.length >= q.gatewaysPerZone)
    throw new DomainError('over_quota', `The account already has ${q.gatewaysPerZone} VPN gateways in zone ${subnet.zone}, the quota.`);
  if (input.mode === 'route' && inZone.filter((g) => g.mode === 'route' && g.vpcId === subnet.vpcId).length >= q.routeGatewaysPerZonePerVpc) {
    throw new DomainError('over_quota', `The VPC already has a route-mode VPN gateway in zone ${subnet.zone}.`);
  }
  const siblings = await gatewaysOfVpc(tx.ex, subnet.vpcId);
  const name = input.name ?? (await freeName(async (n) => siblings.some((g) => g.name === n)));

  const id = newId();
  const subnetCidr = parseCidr(subnet.cidr);
  const privates = subnetCidr.ok ? pickAddresses(subnetCidr.cidr, await reservedAddresses(tx.ex, subnet.id), GATEWAY_PRIVATE_IPS, SUBNET_RESERVED_LOW) : [];
  if (privates.length < GATEWAY_PRIVATE_IPS)
    throw new DomainError('subnet_ip_exhausted', `Subnet '${subnet.name}' has no room for the gateway's ${GATEWAY_PRIVATE_IPS} members.`);
  const publics = pickAddresses(tx.settings.publicPool, await usedPublicIps(tx.ex), publicIpCount(input.mode), POOL_RESERVED_LOW);
  if (publics.length < publicIpCount(input.mode))
    throw new DomainError('public_ip_exhausted', `The public IP pool ${tx.settings.publicPool.text} is exhausted.`);

  const st = initialState(tx);
  const members: GatewayMember[] = privates.map((address, i) => {
    const index = (i + 1) as 1 | 2;
    return {
      index,
      role: input.mode === 'policy' && index === 2 ? 'standby' : 'active',
      publicIp: publics[i] ?? null,
      privateIp: { id: newId(), address },
      lifecycleState: st.lifecycle,
      healthState: st.health,
      healthReasons: st.reasons,
    };
  });
  const now = tx.now();
  const g: VpnGateway = {
    id,
    accountId: subnet.accountId,
    resourceGroupId: group.id,
    name,
    vpcId: subnet.vpcId,
    subnetId: subnet.id,
    zone: subnet.zone,
    mode: input.mode,
    members,
    advertisedCidrs: advertised,
    localAsn: input.localAsn ?? DEFAULT_LOCAL_ASN,
    lifecycleState: st.lifecycle,
    healthState: st.health,
    healthReasons: st.reasons,
    revision: 1,
    createdAt: now,
    updatedAt: now,
  };
  await insertGateway(tx.ex, g);
  for (const m of members) {
    await insertReservedIp(tx.ex, { id: m.privateIp.id, subnetId: subnet.id, address: m.privateIp.address, ownerId: id });
    if (m.publicIp) await insertPublicIp(tx.ex, m.publicIp, id, m.index);
  }
  await writeExtras(tx, 'vpn_gateway', id, opts.extras);
  tx.record({ resource: 'vpn_gateway', id, action: 'created', gatewayIds: [id] });
  return gatewayView(tx, g, opts.extras?.dialect);
}

export async function updateGateway(tx: Tx, id: string, patch: GatewayPatch, opts: WriteOptions = {}): Promise<GatewayView> {
  const gw = liveGateway(tx, await getGateway(tx.ex, id), id);
  if (patch.localAsn !== undefined) {
    if (gw.mode !== 'route') throw new DomainError('mode_mismatch', 'local_asn applies to route-mode gateways only.', { type: 'field', name: 'localAsn' });
    checkAsn(patch.localAsn, 'localAsn');
  }
  const changed = (patch.name !== undefined && patch.name !== gw.name) || (patch.localAsn !== undefined && patch.localAsn !== gw.localAsn);
  let next = gw;
  if (changed) {
    next = { ...gw, name: patch.name ?? gw.name, localAsn: patch.localAsn ?? gw.localAsn, revision: gw.revision + 1, updatedAt: tx.now() };
    await saveGateway(tx.ex, next, gw.revision);
    tx.record({ resource: 'vpn_gateway', id, action: 'updated', gatewayIds: [id] });
  }
  await writeExtras(tx, 'vpn_gateway', id, opts.extras);
  return gatewayView(tx, next, opts.extras?.dialect);
}

/** Advertised CIDRs (route mode): 'added' | 'exists' on add, throws not_found (cidr) on a missing remove. */
export async function editAdvertisedCidr(tx: Tx, id: string, cidrText: string, op: 'add' | 'remove' | 'check'): Promise<'added' | 'exists' | 'removed'> {
  const p = parseCidr(cidrText);
  if (!p.ok || p.hostBitsSet || p.cidr.family !== 4)
    throw new DomainError('invalid_value', `'${cidrText}' is not a valid IPv4 CIDR.`, { type: 'parameter', name: 'cidr', value: cidrText });
  const cidr = p.cidr.text;
  const g = await getGateway(tx.ex, id);
  const gw = op === 'check' ? visibleTo(tx.actor, g, 'vpn_gateway', id) : liveGateway(tx, g, id);
  if (gw.mode !== 'route') throw new DomainError('mode_mismatch', 'Advertised CIDRs apply to route-mode gateways only.');
  const has = gw.advertisedCidrs.includes(cidr);
  if (!has && op !== 'add') throw notFound('cidr', cidr, `CIDR ${cidr} is not advertised by this gateway.`);
  if (op === 'check' || (op === 'add' && has)) return 'exists';
  if (op === 'add' && gw.advertisedCidrs.length >= tx.settings.quotas.advertisedCidrs) {
    throw new DomainError('over_quota', `A gateway advertises at most ${tx.settings.quotas.advertisedCidrs} CIDRs.`);
  }
  const list = op === 'add' ? [...gw.advertisedCidrs, cidr] : gw.advertisedCidrs.filter((c) => c !== cidr);
  await saveGateway(tx.ex, { ...gw, advertisedCidrs: list, revision: gw.revision + 1, updatedAt: tx.now() }, gw.revision);
  tx.record({ resource: 'vpn_gateway', id, action: 'updated', gatewayIds: [id] });
  return op === 'add' ? 'added' : 'removed';
}
