import type { Static } from 'typebox';
import type { ConnectionRef, PolicyView } from '../../control/index.js';
import type { IkePolicyInput, IkePolicyPatch as IkePatch, IpsecPolicyInput, IpsecPolicyPatch as IpsecPatch } from '../../control/index.js';
import type { DhGroup, Integrity } from '../../domain/crypto-catalogue.js';
import { parseId } from '../../domain/ids.js';
import type { IkePolicy, IpsecPolicy } from '../../domain/policy.js';
import {
  cipherFromIbm,
  cipherToIbm,
  integrityFromIbm,
  ipsecIntegrityFromIbm,
  ipsecIntegrityToIbm,
  isGcm,
  pfsFromIbm,
  pfsToIbm,
  SENTINEL_NUMBER,
  SENTINEL_STRING,
  singular,
} from './ibm-algorithms.js';
import { ibmInvalid } from './ibm-errors.js';
import type { IbmRefs } from './ibm-refs.js';
import { IKE_LIFETIME, IPSEC_LIFETIME } from './ibm-rules.js';
import type { IkePolicyPatch, IkePolicyPrototype, IpsecPolicyPatch, IpsecPolicyPrototype } from './policy-schema.js';

/**
 * One category in singular or array form (never both). Writing the singular sets the list to
 * that one value (IBM's sync rule); undefined = not in the request.
 */
function category<T>(body: Record<string, unknown>, one: string, many: string, required: boolean): T[] | undefined {
  const a = body[one];
  const b = body[many];
  if (a !== undefined && b !== undefined) throw ibmInvalid(many, `Send either '${one}' or '${many}', not both.`);
  if (a !== undefined) return [a as T];
  if (b !== undefined) return [...(b as T[])];
  if (required) throw ibmInvalid(many, `'${many}' (or the deprecated '${one}') is required.`, 'missing_field');
  return undefined;
}

function checkIkeV1Lists(version: 1 | 2, lists: (readonly unknown[] | undefined)[]): void {
  if (version === 1 && lists.some((l) => l !== undefined && l.length > 1)) {
    throw ibmInvalid('ike_version', 'An IKEv1 policy takes exactly one algorithm of each kind; several are allowed with ike_version 2 only.');
  }
}

/** GCM ⇔ authentication `disabled`; GCM and non-GCM ciphers do not mix. */
function checkGcm(enc: readonly string[], auth: readonly string[], authSent: boolean): void {
  const gcm = enc.filter(isGcm);
  if (gcm.length > 0 && gcm.length < enc.length)
    throw ibmInvalid('encryption_algorithms', 'Do not mix GCM and non-GCM encryption algorithms in one IPsec policy.');
  if (gcm.length > 0 && (auth.length !== 1 || auth[0] !== 'disabled')) {
    throw ibmInvalid('authentication_algorithms', "With a GCM encryption algorithm the authentication algorithm must be 'disabled'.");
  }
  if (gcm.length === 0 && auth.includes('disabled')) {
    throw ibmInvalid(
      'authentication_algorithms',
      authSent
        ? "'disabled' authentication needs a GCM encryption algorithm."
        : "Switching to a non-GCM encryption algorithm needs a new 'authentication_algorithms' in the same request.",
    );
  }
}

export function ikeInput(body: Static<typeof IkePolicyPrototype>): IkePolicyInput {
  const b = body as Record<string, unknown>;
  const integrity = category<string>(b, 'authentication_algorithm', 'authentication_algorithms', true)!;
  const encryption = category<string>(b, 'encryption_algorithm', 'encryption_algorithms', true)!;
  const dhGroups = category<number>(b, 'dh_group', 'dh_groups', true)!;
  checkIkeV1Lists(body.ike_version, [integrity, encryption, dhGroups]);
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.resource_group ? { resourceGroupId: parseId(body.resource_group.id) ?? body.resource_group.id } : {}),
    ikeVersion: body.ike_version,
    encryption: encryption.map(cipherFromIbm),
    integrity: integrity.map(integrityFromIbm),
    dhGroups: dhGroups as DhGroup[],
    lifetimeSeconds: body.key_lifetime ?? IKE_LIFETIME.default,
  };
}

export function ikePatch(body: Static<typeof IkePolicyPatch>, current: IkePolicy): IkePatch {
  const b = body as Record<string, unknown>;
  const integrity = category<string>(b, 'authentication_algorithm', 'authentication_algorithms', false);
  const encryption = category<string>(b, 'encryption_algorithm', 'encryption_algorithms', false);
  const dhGroups = category<number>(b, 'dh_group', 'dh_groups', false);
  // A dialect checks only what the request writes (domain V4): a rename never trips over stored lists.
  if (body.ike_version !== undefined || integrity || encryption || dhGroups) {
    const version = body.ike_version ?? current.ikeVersion;
    checkIkeV1Lists(version, [integrity ?? current.integrity, encryption ?? current.encryption, dhGroups ?? current.dhGroups]);
  }
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.ike_version !== undefined ? { ikeVersion: body.ike_version } : {}),
    ...(integrity ? { integrity: integrity.map(integrityFromIbm) } : {}),
    ...(encryption ? { encryption: encryption.map(cipherFromIbm) } : {}),
    ...(dhGroups ? { dhGroups: dhGroups as DhGroup[] } : {}),
    ...(body.key_lifetime !== undefined ? { lifetimeSeconds: body.key_lifetime } : {}),
  };
}

export function ipsecInput(body: Static<typeof IpsecPolicyPrototype>): IpsecPolicyInput {
  const b = body as Record<string, unknown>;
  const auth = category<string>(b, 'authentication_algorithm', 'authentication_algorithms', true)!;
  const enc = category<string>(b, 'encryption_algorithm', 'encryption_algorithms', true)!;
  const pfs = category<string>(b, 'pfs', 'pfs_groups', true)!;
  checkGcm(enc, auth, true);
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.resource_group ? { resourceGroupId: parseId(body.resource_group.id) ?? body.resource_group.id } : {}),
    encryption: enc.map(cipherFromIbm),
    integrity: ipsecIntegrityFromIbm(auth),
    pfs: pfs.map(pfsFromIbm),
    lifetimeSeconds: body.key_lifetime ?? IPSEC_LIFETIME.default,
  };
}

export function ipsecPatch(body: Static<typeof IpsecPolicyPatch>, current: IpsecPolicy): IpsecPatch {
  const b = body as Record<string, unknown>;
  const auth = category<string>(b, 'authentication_algorithm', 'authentication_algorithms', false);
  const enc = category<string>(b, 'encryption_algorithm', 'encryption_algorithms', false);
  const pfs = category<string>(b, 'pfs', 'pfs_groups', false);
  if (auth || enc) {
    checkGcm(enc ?? current.encryption.map(cipherToIbm), auth ?? ipsecIntegrityToIbm(current.integrity), auth !== undefined);
  }
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(auth ? { integrity: ipsecIntegrityFromIbm(auth) } : {}),
    ...(enc ? { encryption: enc.map(cipherFromIbm) } : {}),
    ...(pfs ? { pfs: pfs.map(pfsFromIbm) } : {}),
    ...(body.key_lifetime !== undefined ? { lifetimeSeconds: body.key_lifetime } : {}),
  };
}

export function connectionRefs(refs: IbmRefs, list: readonly ConnectionRef[]) {
  return list.map((c) => ({ href: refs.connection(c.gatewayId, c.id), id: c.id, name: c.name, resource_type: 'vpn_gateway_connection' as const }));
}

export function ikeToWire(refs: IbmRefs, v: PolicyView<IkePolicy>) {
  const p = v.policy;
  const auth: string[] = p.integrity.map((i: Integrity) => i);
  const enc = p.encryption.map(cipherToIbm);
  return {
    authentication_algorithm: singular(auth, SENTINEL_STRING),
    authentication_algorithms: auth,
    connections: connectionRefs(refs, v.connections),
    created_at: refs.time(p.createdAt),
    dh_group: singular<number>(p.dhGroups, SENTINEL_NUMBER),
    dh_groups: [...p.dhGroups],
    encryption_algorithm: singular(enc, SENTINEL_STRING),
    encryption_algorithms: enc,
    href: refs.ikePolicy(p.id),
    id: p.id,
    ike_version: p.ikeVersion,
    key_lifetime: p.lifetimeSeconds,
    name: p.name,
    negotiation_mode: p.negotiationMode,
    resource_group: refs.group(v.resourceGroup),
    resource_type: 'ike_policy' as const,
  };
}

export function ipsecToWire(refs: IbmRefs, v: PolicyView<IpsecPolicy>) {
  const p = v.policy;
  const auth = ipsecIntegrityToIbm(p.integrity);
  const enc = p.encryption.map(cipherToIbm);
  const pfs = p.pfs.map(pfsToIbm);
  return {
    authentication_algorithm: singular(auth, SENTINEL_STRING),
    authentication_algorithms: auth,
    connections: connectionRefs(refs, v.connections),
    created_at: refs.time(p.createdAt),
    encapsulation_mode: p.encapsulation,
    encryption_algorithm: singular(enc, SENTINEL_STRING),
    encryption_algorithms: enc,
    href: refs.ipsecPolicy(p.id),
    id: p.id,
    key_lifetime: p.lifetimeSeconds,
    name: p.name,
    pfs: singular(pfs, SENTINEL_STRING),
    pfs_groups: pfs,
    resource_group: refs.group(v.resourceGroup),
    resource_type: 'ipsec_policy' as const,
    transform_protocol: p.transform,
  };
}
