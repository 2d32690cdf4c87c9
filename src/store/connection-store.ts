import { type Selectable, sql } from 'kysely';
import { DomainError } from '../domain/errors.js';
import type { Connection, ConnectionKind, Dpd, EstablishMode, IkeIdentity, PeerEndpoint, Tunnel } from '../domain/connection.js';
import type { AutoSet } from '../domain/proposals.js';
import type { LifecycleState, Reason } from '../domain/tenancy.js';
import { deleteEventsOf } from './connection-event-store.js';
import { type Page, type PageRequest, mapPage, pageQuery } from './page-query.js';
import type { ConnectionRow, Executor } from './schema.js';
import type { SecretBox } from './secret-box.js';
import { unlessTaken } from './store-errors.js';

/** Which connections a list holds; every filter is optional. */
export interface ConnectionFilter {
  readonly accountId?: string;
  readonly gatewayId?: string;
  readonly ikePolicyId?: string;
  readonly ipsecPolicyId?: string;
  readonly status?: 'up' | 'down';
  readonly kind?: ConnectionKind;
  /** Leave out connections being deleted. */
  readonly live?: boolean;
}

/** A connection's status columns and what its status reasons are computed from (no secret). */
export type ConnectionStatusRow = Pick<
  Connection,
  'id' | 'gatewayId' | 'kind' | 'adminStateUp' | 'autoSet' | 'ikePolicyId' | 'ipsecPolicyId' | 'status' | 'statusReasons' | 'lifecycleState'
>;

/** What a data plane report writes of a connection: its observed status, never its configuration. */
export type ObservedStatus = Pick<Connection, 'status' | 'statusReasons' | 'tunnelsUp' | 'lifecycleState'>;

const tunnelsUpOf = (text: string | null): (1 | 2)[] | null => (text === null ? null : (JSON.parse(text) as (1 | 2)[]));

const nameTaken = (c: Connection): DomainError =>
  new DomainError('name_not_unique', `The VPN gateway already has a connection named '${c.name}'.`, { type: 'field', name: 'name', value: c.name });

/** Connection rows hold the pre-shared key sealed; it is opened only on the way out of the store. */
export class ConnectionStore {
  readonly #box: SecretBox;

  constructor(box: SecretBox) {
    this.#box = box;
  }

  #toConnection = (r: Selectable<ConnectionRow>): Connection => ({
    id: r.id,
    accountId: r.account_id,
    gatewayId: r.gateway_id,
    name: r.name,
    kind: r.kind as ConnectionKind,
    adminStateUp: r.admin_state_up === 1,
    establishMode: r.establish_mode as EstablishMode,
    psk: this.#box.open(r.psk_enc),
    peer: JSON.parse(r.peer) as PeerEndpoint,
    peerIdentity: r.peer_identity ? (JSON.parse(r.peer_identity) as IkeIdentity) : null,
    localIdentities: JSON.parse(r.local_identities) as IkeIdentity[],
    localCidrs: JSON.parse(r.local_cidrs) as string[],
    peerCidrs: JSON.parse(r.peer_cidrs) as string[],
    ikePolicyId: r.ike_policy_id,
    ipsecPolicyId: r.ipsec_policy_id,
    autoSet: r.auto_set as AutoSet,
    dpd: JSON.parse(r.dpd) as Dpd,
    distributeTraffic: r.distribute_traffic === 1,
    tunnels: JSON.parse(r.tunnels) as Tunnel[],
    status: r.status === 'up' ? 'up' : 'down',
    statusReasons: JSON.parse(r.status_reasons) as Reason[],
    tunnelsUp: tunnelsUpOf(r.tunnels_up),
    lifecycleState: r.lifecycle_state as LifecycleState,
    firstUpAt: r.first_up_at === null ? null : Number(r.first_up_at),
    resets: r.resets,
    pinnedMember: r.pinned_member === 1 || r.pinned_member === 2 ? r.pinned_member : null,
    revision: r.revision,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  });

  #toRow(c: Connection): Omit<ConnectionRow, 'generation' | 'observed'> {
    return {
      id: c.id,
      account_id: c.accountId,
      gateway_id: c.gatewayId,
      name: c.name,
      kind: c.kind,
      admin_state_up: c.adminStateUp ? 1 : 0,
      establish_mode: c.establishMode,
      psk_enc: this.#box.seal(c.psk),
      peer: JSON.stringify(c.peer),
      peer_identity: c.peerIdentity ? JSON.stringify(c.peerIdentity) : null,
      local_identities: JSON.stringify(c.localIdentities),
      local_cidrs: JSON.stringify(c.localCidrs),
      peer_cidrs: JSON.stringify(c.peerCidrs),
      ike_policy_id: c.ikePolicyId,
      ipsec_policy_id: c.ipsecPolicyId,
      auto_set: c.autoSet,
      dpd: JSON.stringify(c.dpd),
      distribute_traffic: c.distributeTraffic ? 1 : 0,
      tunnels: JSON.stringify(c.tunnels),
      status: c.status,
      status_reasons: JSON.stringify(c.statusReasons),
      tunnels_up: c.tunnelsUp === null ? null : JSON.stringify(c.tunnelsUp),
      lifecycle_state: c.lifecycleState,
      first_up_at: c.firstUpAt,
      resets: c.resets,
      pinned_member: c.pinnedMember,
      revision: c.revision,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      cidr_count: c.localCidrs.length + c.peerCidrs.length,
    };
  }

  async insert(ex: Executor, c: Connection): Promise<void> {
    const row = this.#toRow(c);
    await unlessTaken(ex.insertInto('connections').values(row).execute(), () => nameTaken(c));
    await ex
      .updateTable('vpn_gateways')
      .set((eb) => ({ connection_count: eb('connection_count', '+', 1), connection_cidr_count: eb('connection_cidr_count', '+', row.cidr_count) }))
      .where('id', '=', c.gatewayId)
      .execute();
  }

  /**
   * Writes a connection read earlier in this transaction at revision `readRevision`; another writer's
   * change in between (possible with several servers on one database) refuses it. The observed status
   * is the agent's to write (`setStatus`, which keeps the revision): a save never writes back a status
   * it read, except a delete's, which takes the connection down.
   */
  async save(ex: Executor, c: Connection, readRevision: number): Promise<void> {
    const { id, status, status_reasons, tunnels_up, first_up_at, ...config } = this.#toRow(c);
    const rest = c.lifecycleState === 'deleting' ? { ...config, status, status_reasons, tunnels_up } : config;
    await ex
      .updateTable('vpn_gateways')
      .set((eb) => ({
        connection_cidr_count: eb(
          eb('connection_cidr_count', '+', rest.cidr_count),
          '-',
          eb.selectFrom('connections').select('cidr_count').where('id', '=', id),
        ),
      }))
      .where('id', '=', c.gatewayId)
      .execute();
    const r = await unlessTaken(ex.updateTable('connections').set(rest).where('id', '=', id).where('revision', '=', readRevision).executeTakeFirst(), () =>
      nameTaken(c),
    );
    if (Number(r.numUpdatedRows) !== 1)
      throw new DomainError('concurrent_update', `Connection '${id}' was changed by another request; read it again and retry.`);
  }

  async delete(ex: Executor, id: string): Promise<void> {
    const old = await ex.selectFrom('connections').select(['gateway_id', 'cidr_count']).where('id', '=', id).executeTakeFirst();
    if (!old) return;
    await deleteEventsOf(ex, id);
    await ex.deleteFrom('connections').where('id', '=', id).execute();
    await ex
      .updateTable('vpn_gateways')
      .set((eb) => ({ connection_count: eb('connection_count', '-', 1), connection_cidr_count: eb('connection_cidr_count', '-', old.cidr_count) }))
      .where('id', '=', old.gateway_id)
      .execute();
  }

  /**
   * The observed status of every connection of a gateway (or of those of `ids` only), read without
   * opening secrets, with each one's generation.
   */
  async statusesOfGateway(ex: Executor, gatewayId: string, ids?: readonly string[]): Promise<(ObservedStatus & { id: string; generation: number })[]> {
    if (ids?.length === 0) return [];
    let q = ex
      .selectFrom('connections')
      .select(['id', 'status', 'status_reasons', 'tunnels_up', 'lifecycle_state', 'generation'])
      .where('gateway_id', '=', gatewayId);
    if (ids) q = q.where('id', 'in', [...ids]);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      status: r.status === 'up' ? 'up' : 'down',
      statusReasons: JSON.parse(r.status_reasons) as Reason[],
      tunnelsUp: tunnelsUpOf(r.tunnels_up),
      lifecycleState: r.lifecycle_state as LifecycleState,
      generation: Number(r.generation),
    }));
  }

  /** Writes an observed status: no revision bump, never on a connection being deleted. */
  async setStatus(ex: Executor, id: string, { status, statusReasons, tunnelsUp, lifecycleState }: ObservedStatus, now: number): Promise<void> {
    await ex
      .updateTable('connections')
      .set((eb) => ({
        status,
        status_reasons: JSON.stringify(statusReasons),
        tunnels_up: tunnelsUp === null ? null : JSON.stringify(tunnelsUp),
        lifecycle_state: lifecycleState,
        ...(status === 'up' ? { first_up_at: eb.fn.coalesce('first_up_at', eb.val(now)) } : {}),
      }))
      .where('id', '=', id)
      .where('lifecycle_state', '!=', 'deleting')
      .execute();
  }

  /** Connections a policy change reconfigures: `updating` until an agent applies it (only those stable now). */
  async markUpdating(ex: Executor, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await ex
      .updateTable('connections')
      .set({ lifecycle_state: 'updating' })
      .where('id', 'in', [...ids])
      .where('lifecycle_state', '=', 'stable')
      .execute();
  }

  /** Connections in `deleting` whose deletion is at or before `generation` (all when undefined). */
  async deletingUpTo(ex: Executor, gatewayId: string | undefined, generation: number | undefined): Promise<{ id: string; gatewayId: string }[]> {
    let q = ex.selectFrom('connections').select(['id', 'gateway_id']).where('lifecycle_state', '=', 'deleting');
    if (gatewayId !== undefined) q = q.where('gateway_id', '=', gatewayId);
    if (generation !== undefined) q = q.where('generation', '<=', generation);
    return (await q.execute()).map((r) => ({ id: r.id, gatewayId: r.gateway_id }));
  }

  async get(ex: Executor, id: string): Promise<Connection | undefined> {
    const r = await ex.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? this.#toConnection(r) : undefined;
  }

  async ofGateway(ex: Executor, gatewayId: string): Promise<Connection[]> {
    const rows = await ex.selectFrom('connections').selectAll().where('gateway_id', '=', gatewayId).orderBy('created_at').orderBy('id').execute();
    return rows.map(this.#toConnection);
  }

  async inState(ex: Executor, state: LifecycleState): Promise<Connection[]> {
    return (await ex.selectFrom('connections').selectAll().where('lifecycle_state', '=', state).execute()).map(this.#toConnection);
  }

  async list(ex: Executor, f: ConnectionFilter, req: PageRequest): Promise<Page<Connection>> {
    let q = ex.selectFrom('connections');
    if (f.accountId !== undefined) q = q.where('account_id', '=', f.accountId);
    if (f.kind !== undefined) q = q.where('kind', '=', f.kind);
    if (f.live) q = q.where('lifecycle_state', '!=', 'deleting');
    if (f.gatewayId !== undefined) q = q.where('gateway_id', '=', f.gatewayId);
    if (f.ikePolicyId !== undefined) q = q.where('ike_policy_id', '=', f.ikePolicyId);
    if (f.ipsecPolicyId !== undefined) q = q.where('ipsec_policy_id', '=', f.ipsecPolicyId);
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    return mapPage(await pageQuery<'connections', Selectable<ConnectionRow>>(q, req), this.#toConnection);
  }

  /**
   * The status columns of an account's connections (every account's when `accountId` is undefined),
   * oldest first, at most `limit`: what a live status view needs, without opening any pre-shared key.
   */
  async statusRows(ex: Executor, accountId: string | undefined, limit: number): Promise<ConnectionStatusRow[]> {
    let q = ex
      .selectFrom('connections')
      .select(['id', 'gateway_id', 'kind', 'admin_state_up', 'auto_set', 'ike_policy_id', 'ipsec_policy_id', 'status', 'status_reasons', 'lifecycle_state']);
    if (accountId !== undefined) q = q.where('account_id', '=', accountId);
    const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      gatewayId: r.gateway_id,
      kind: r.kind as ConnectionKind,
      adminStateUp: r.admin_state_up === 1,
      autoSet: r.auto_set as AutoSet,
      ikePolicyId: r.ike_policy_id,
      ipsecPolicyId: r.ipsec_policy_id,
      status: r.status === 'up' ? 'up' : 'down',
      statusReasons: JSON.parse(r.status_reasons) as Reason[],
      lifecycleState: r.lifecycle_state as LifecycleState,
    }));
  }

  /**
   * An account's live policy connections with this name or to this peer address, with their gateway's
   * VPC: light rows from the name and peer-address indexes, for a uniqueness check across gateways.
   */
  async namedOrTo(
    ex: Executor,
    accountId: string,
    name: string,
    peerAddress: string,
  ): Promise<{ id: string; name: string; gatewayId: string; vpcId: string; peerAddress: string | null }[]> {
    const rows = await ex
      .selectFrom('connections')
      .innerJoin('vpn_gateways', 'vpn_gateways.id', 'connections.gateway_id')
      .select([
        'connections.id',
        'connections.name',
        'connections.gateway_id',
        'vpn_gateways.vpc_id',
        sql<string | null>`json_extract(connections.peer, '$.address')`.as('address'),
      ])
      .where('connections.account_id', '=', accountId)
      .where('connections.kind', '=', 'policy')
      .where('connections.lifecycle_state', '!=', 'deleting')
      .where((eb) => eb.or([eb('connections.name', '=', name), eb(sql<string>`json_extract(connections.peer, '$.address')`, '=', peerAddress)]))
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, gatewayId: r.gateway_id, vpcId: r.vpc_id, peerAddress: r.address }));
  }

  /**
   * Lightweight references (id, name, gateway) of the connections using a policy. A connection being
   * deleted no longer uses it: the data plane tears it down without its policies.
   */
  async refsUsingPolicy(
    ex: Executor,
    column: 'ike_policy_id' | 'ipsec_policy_id',
    policyId: string,
  ): Promise<{ id: string; name: string; gatewayId: string }[]> {
    const rows = await ex
      .selectFrom('connections')
      .select(['id', 'name', 'gateway_id'])
      .where(column, '=', policyId)
      .where('lifecycle_state', '!=', 'deleting')
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, gatewayId: r.gateway_id }));
  }

  /** The connections using a policy (not being deleted), in full, in one query. */
  async usingPolicy(ex: Executor, column: 'ike_policy_id' | 'ipsec_policy_id', policyId: string): Promise<Connection[]> {
    const rows = await ex
      .selectFrom('connections')
      .selectAll()
      .where(column, '=', policyId)
      .where('lifecycle_state', '!=', 'deleting')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(this.#toConnection);
  }

  /** Lets connections being deleted let go of a policy that is about to be deleted. */
  async releasePolicy(ex: Executor, column: 'ike_policy_id' | 'ipsec_policy_id', policyId: string): Promise<void> {
    await ex
      .updateTable('connections')
      .set({ [column]: null })
      .where(column, '=', policyId)
      .where('lifecycle_state', '=', 'deleting')
      .execute();
  }

  async refsOfGateway(ex: Executor, gatewayId: string): Promise<{ id: string; name: string; gatewayId: string }[]> {
    const rows = await ex.selectFrom('connections').select(['id', 'name', 'gateway_id']).where('gateway_id', '=', gatewayId).orderBy('created_at').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, gatewayId: r.gateway_id }));
  }

  /** Count and CIDR total of a gateway's connections (kept on the gateway row). */
  async gatewayStats(ex: Executor, gatewayId: string): Promise<{ count: number; cidrs: number }> {
    const r = await ex.selectFrom('vpn_gateways').select(['connection_count', 'connection_cidr_count']).where('id', '=', gatewayId).executeTakeFirst();
    return { count: Number(r?.connection_count ?? 0), cidrs: Number(r?.connection_cidr_count ?? 0) };
  }

  /** The id of the gateway's connection called `name`, if any (indexed). */
  async nameHolder(ex: Executor, gatewayId: string, name: string): Promise<string | undefined> {
    const r = await ex.selectFrom('connections').select('id').where('gateway_id', '=', gatewayId).where('name', '=', name).limit(1).executeTakeFirst();
    return r?.id;
  }

  /** References of the connections using any of the given policies, grouped by policy id. */
  async refsUsingPolicies(
    ex: Executor,
    column: 'ike_policy_id' | 'ipsec_policy_id',
    policyIds: readonly string[],
  ): Promise<Map<string, { id: string; name: string; gatewayId: string }[]>> {
    const out = new Map<string, { id: string; name: string; gatewayId: string }[]>();
    if (policyIds.length === 0) return out;
    const rows = await ex
      .selectFrom('connections')
      .select(['id', 'name', 'gateway_id', column])
      .where(column, 'in', policyIds)
      .where('lifecycle_state', '!=', 'deleting')
      .orderBy('created_at')
      .execute();
    for (const r of rows) {
      const key = (r as Record<string, unknown>)[column] as string;
      out.set(key, [...(out.get(key) ?? []), { id: r.id, name: r.name, gatewayId: r.gateway_id }]);
    }
    return out;
  }

  /** References of the connections of several gateways, grouped by gateway id. */
  async refsOfGateways(ex: Executor, gatewayIds: readonly string[]): Promise<Map<string, { id: string; name: string; gatewayId: string }[]>> {
    const out = new Map<string, { id: string; name: string; gatewayId: string }[]>();
    if (gatewayIds.length === 0) return out;
    const rows = await ex.selectFrom('connections').select(['id', 'name', 'gateway_id']).where('gateway_id', 'in', gatewayIds).orderBy('created_at').execute();
    for (const r of rows) out.set(r.gateway_id, [...(out.get(r.gateway_id) ?? []), { id: r.id, name: r.name, gatewayId: r.gateway_id }]);
    return out;
  }

  async countOfGateway(ex: Executor, gatewayId: string): Promise<number> {
    const r = await ex
      .selectFrom('connections')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('gateway_id', '=', gatewayId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
