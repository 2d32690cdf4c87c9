import { DomainError, notFound, type ResourceType } from '../domain/errors.js';
import { getDialectObject } from '../store/dialect-object-store.js';
import { getEndpointGroup } from '../store/endpoint-group-store.js';
import { type ExtraRef, type ExtrasData, getExtras, putExtras, referrers } from '../store/extras-store.js';
import { getGateway } from '../store/gateway-store.js';
import { getSubnet, getVpc } from '../store/network-store.js';
import { getIkePolicy, getIpsecPolicy } from '../store/policy-store.js';
import { getRouter } from '../store/router-store.js';
import { visibleTo } from './access.js';
import type { Tx } from './tx.js';

export type { ExtraRef, ExtrasData };

/**
 * A dialect's own fields on a domain object (Neutron's description and MTU of a connection, its
 * vpnservice's router; later Huawei's tags): JSON that only that dialect reads and writes, stored
 * beside the object in the same transaction. `refs` name the objects they point at, which then
 * cannot be deleted while the extras do (checked here, inside the deleting transaction).
 */
export interface ExtrasInput {
  readonly dialect: string;
  readonly data: ExtrasData;
  readonly refs?: readonly ExtraRef[];
}

/** Options of a command that creates or changes an object: the calling dialect's extras for it. */
export interface WriteOptions {
  readonly extras?: ExtrasInput;
}

/** Options of a query: whose extras to load with the views (none by default). */
export interface ReadOptions {
  readonly extras?: string;
}

/** The owner of an object of a type that can carry extras or be referred to, if the actor may see it. */
async function ownerOf(tx: Tx, resource: string, id: string): Promise<{ accountId: string } | undefined> {
  switch (resource) {
    case 'connection':
      return tx.deps.connections.get(tx.ex, id);
    case 'vpn_gateway':
      return getGateway(tx.ex, id);
    case 'ike_policy':
      return getIkePolicy(tx.ex, id);
    case 'ipsec_policy':
      return getIpsecPolicy(tx.ex, id);
    case 'vpc':
      return getVpc(tx.ex, id);
    case 'subnet':
      return getSubnet(tx.ex, id);
    case 'router':
      return getRouter(tx.ex, id);
    case 'endpoint_group':
      return getEndpointGroup(tx.ex, id);
    case 'dialect_object':
      return getDialectObject(tx.ex, id);
    default:
      throw new DomainError('invalid_value', `Objects of type '${resource}' carry no extras.`);
  }
}

/** Writes a dialect's extras for an object the caller wrote or may see; every reference must be visible too. */
export async function writeExtras(tx: Tx, resource: ResourceType, id: string, extras: ExtrasInput | undefined, fresh = false): Promise<void> {
  if (!extras) return;
  for (const r of extras.refs ?? []) visibleTo(tx.actor, await ownerOf(tx, r.resource, r.id), r.resource as ResourceType, r.id);
  await putExtras(tx.ex, extras.dialect, resource, id, extras.data, extras.refs ?? [], fresh);
}

/** The command behind `control.extras.put`: extras for an existing object the actor may see. */
export async function putObjectExtras(tx: Tx, resource: ResourceType, id: string, extras: ExtrasInput): Promise<void> {
  visibleTo(tx.actor, await ownerOf(tx, resource, id), resource, id);
  await writeExtras(tx, resource, id, extras);
}

/** What a read without a dialect's extras gets (no query, no new promise). */
const NO_EXTRAS: Promise<ReadonlyMap<string, ExtrasData>> = Promise.resolve(new Map<string, ExtrasData>());

export function extrasOf(tx: Tx, dialect: string | undefined, resource: string, ids: readonly string[]): Promise<ReadonlyMap<string, ExtrasData>> {
  if (dialect === undefined || ids.length === 0) return NO_EXTRAS;
  return getExtras(tx.ex, dialect, resource, ids);
}

/** Refuses to delete an object that some dialect's extras still refer to. */
export async function assertUnreferenced(tx: Tx, resource: ResourceType, id: string, describe: (by: ExtraRef) => string): Promise<void> {
  const [by] = await referrers(tx.ex, { resource, id });
  if (by) throw new DomainError('in_use', describe(by), undefined, { resource, id });
}

/** A not_found for a referenced object the caller may not see, in the request's terms. */
export function missingRef(ref: ExtraRef): DomainError {
  return notFound(ref.resource as ResourceType, ref.id);
}
