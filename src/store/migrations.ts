import { type Kysely, type Migration, type MigrationProvider, PostgresAdapter, sql } from 'kysely';
import { newId } from '../domain/ids.js';
import { randomName } from '../domain/names.js';

/** Migrations live in code, in order; never edit one that has shipped, add the next. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('is_admin', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('resource_groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('vpcs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('resource_group_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('subnets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('resource_group_id', 'text', (c) => c.notNull())
        .addColumn('vpc_id', 'text', (c) => c.notNull().references('vpcs.id'))
        .addColumn('zone', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('cidr', 'text', (c) => c.notNull())
        .addColumn('ip_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('reserved_ips')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subnet_id', 'text', (c) => c.notNull().references('subnets.id'))
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addUniqueConstraint('reserved_ips_subnet_address', ['subnet_id', 'address'])
        .execute();
      await db.schema
        .createTable('public_ips')
        .addColumn('address', 'text', (c) => c.primaryKey())
        .addColumn('gateway_id', 'text', (c) => c.notNull())
        .addColumn('member_index', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('vpn_gateways')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('resource_group_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('vpc_id', 'text', (c) => c.notNull().references('vpcs.id'))
        .addColumn('subnet_id', 'text', (c) => c.notNull().references('subnets.id'))
        .addColumn('zone', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('members', 'text', (c) => c.notNull())
        .addColumn('advertised_cidrs', 'text', (c) => c.notNull())
        .addColumn('local_asn', 'bigint', (c) => c.notNull())
        .addColumn('lifecycle_state', 'text', (c) => c.notNull())
        .addColumn('health_state', 'text', (c) => c.notNull())
        .addColumn('health_reasons', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      for (const table of ['ike_policies', 'ipsec_policies'] as const) {
        let t = db.schema
          .createTable(table)
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('resource_group_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('encryption', 'text', (c) => c.notNull())
          .addColumn('integrity', 'text', (c) => c.notNull())
          .addColumn('lifetime_seconds', 'integer', (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull());
        t =
          table === 'ike_policies'
            ? t
                .addColumn('ike_version', 'integer', (c) => c.notNull())
                .addColumn('negotiation_mode', 'text', (c) => c.notNull())
                .addColumn('dh_groups', 'text', (c) => c.notNull())
            : t.addColumn('pfs', 'text', (c) => c.notNull());
        await t.execute();
      }
      await db.schema
        .createTable('connections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('gateway_id', 'text', (c) => c.notNull().references('vpn_gateways.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('admin_state_up', 'integer', (c) => c.notNull())
        .addColumn('establish_mode', 'text', (c) => c.notNull())
        .addColumn('psk_enc', 'text', (c) => c.notNull())
        .addColumn('peer', 'text', (c) => c.notNull())
        .addColumn('peer_identity', 'text')
        .addColumn('local_identities', 'text', (c) => c.notNull())
        .addColumn('local_cidrs', 'text', (c) => c.notNull())
        .addColumn('peer_cidrs', 'text', (c) => c.notNull())
        .addColumn('ike_policy_id', 'text', (c) => c.references('ike_policies.id'))
        .addColumn('ipsec_policy_id', 'text', (c) => c.references('ipsec_policies.id'))
        .addColumn('auto_set', 'text', (c) => c.notNull())
        .addColumn('dpd', 'text', (c) => c.notNull())
        .addColumn('distribute_traffic', 'integer', (c) => c.notNull())
        .addColumn('tunnels', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reasons', 'text', (c) => c.notNull())
        .addColumn('lifecycle_state', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      const idx: [string, string, string[]][] = [
        ['api_keys_account', 'api_keys', ['account_id']],
        ['vpcs_account', 'vpcs', ['account_id', 'created_at']],
        ['subnets_vpc', 'subnets', ['vpc_id']],
        ['subnets_account', 'subnets', ['account_id', 'created_at']],
        ['gateways_account', 'vpn_gateways', ['account_id', 'created_at']],
        ['gateways_vpc', 'vpn_gateways', ['vpc_id']],
        ['ike_account', 'ike_policies', ['account_id', 'created_at']],
        ['ipsec_account', 'ipsec_policies', ['account_id', 'created_at']],
        ['connections_gateway', 'connections', ['gateway_id', 'created_at']],
        ['connections_ike', 'connections', ['ike_policy_id']],
        ['connections_ipsec', 'connections', ['ipsec_policy_id']],
      ];
      for (const [name, table, cols] of idx) await db.schema.createIndex(name).on(table).columns(cols).execute();
      await sql`select 1`.execute(db);
    },
  },
  '0002-name-indexes': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('connections_gateway_name').on('connections').columns(['gateway_id', 'name']).execute();
      await db.schema.createIndex('ike_account_name').on('ike_policies').columns(['account_id', 'name']).execute();
      await db.schema.createIndex('ipsec_account_name').on('ipsec_policies').columns(['account_id', 'name']).execute();
      await db.schema.createIndex('gateways_vpc_name').on('vpn_gateways').columns(['vpc_id', 'name']).execute();
    },
  },
  '0003-connection-cidr-count': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('connections')
        .addColumn('cidr_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update connections set cidr_count = json_array_length(local_cidrs) + json_array_length(peer_cidrs)`.execute(db);
      await db.schema.createIndex('connections_gateway_cidrs').on('connections').columns(['gateway_id', 'cidr_count']).execute();
    },
  },
  // Keyset pages order by (created_at, id): indexes that end in id let SQLite read just one page
  // instead of sorting every row of the account or gateway.
  '0004-page-indexes': {
    async up(db: Kysely<unknown>): Promise<void> {
      const replace: [string, string, string[]][] = [
        ['vpcs_account', 'vpcs', ['account_id', 'created_at', 'id']],
        ['subnets_account', 'subnets', ['account_id', 'created_at', 'id']],
        ['gateways_account', 'vpn_gateways', ['account_id', 'created_at', 'id']],
        ['ike_account', 'ike_policies', ['account_id', 'created_at', 'id']],
        ['ipsec_account', 'ipsec_policies', ['account_id', 'created_at', 'id']],
        ['connections_gateway', 'connections', ['gateway_id', 'created_at', 'id']],
      ];
      for (const [name, table, cols] of replace) {
        await db.schema.dropIndex(name).execute();
        await db.schema.createIndex(name).on(table).columns(cols).execute();
      }
      const add: [string, string, string[]][] = [
        ['vpcs_page', 'vpcs', ['created_at', 'id']],
        ['subnets_page', 'subnets', ['created_at', 'id']],
        ['gateways_page', 'vpn_gateways', ['created_at', 'id']],
        ['gateways_account_name', 'vpn_gateways', ['account_id', 'name', 'id']],
        ['ike_page', 'ike_policies', ['created_at', 'id']],
        ['ipsec_page', 'ipsec_policies', ['created_at', 'id']],
        ['connections_ike_page', 'connections', ['ike_policy_id', 'created_at', 'id']],
        ['connections_ipsec_page', 'connections', ['ipsec_policy_id', 'created_at', 'id']],
      ];
      for (const [name, table, cols] of add) await db.schema.createIndex(name).on(table).columns(cols).execute();
      await db.schema.dropIndex('connections_ike').execute();
      await db.schema.dropIndex('connections_ipsec').execute();
    },
  },
  // Per-gateway totals kept by the connection store, so quota checks do not scan a gateway's connections.
  '0005-gateway-connection-totals': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('vpn_gateways')
        .addColumn('connection_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('vpn_gateways')
        .addColumn('connection_cidr_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update vpn_gateways set
        connection_count = (select count(*) from connections c where c.gateway_id = vpn_gateways.id),
        connection_cidr_count = (select coalesce(sum(c.cidr_count), 0) from connections c where c.gateway_id = vpn_gateways.id)`.execute(db);
      await db.schema.dropIndex('connections_gateway_cidrs').execute();
    },
  },
  '0006-agent-keys': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('agent_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0007-neutron': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Keystone users of an account (password: scrypt), with the admin role or the member role.
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('is_admin', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // Neutron routers: a router joins subnets (interfaces) and holds the external gateway.
      await db.schema
        .createTable('routers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('admin_state_up', 'integer', (c) => c.notNull())
        .addColumn('external_network_id', 'text')
        .addColumn('external_ip', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('router_interfaces')
        .addColumn('port_id', 'text', (c) => c.primaryKey())
        .addColumn('router_id', 'text', (c) => c.notNull())
        .addColumn('subnet_id', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('router_interfaces_router').on('router_interfaces').column('router_id').execute();
      await db.schema
        .createTable('endpoint_groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('endpoints', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // A Neutron vpnservice is a policy-mode gateway plus these.
      await db.schema
        .createTable('vpnservices')
        .addColumn('gateway_id', 'text', (c) => c.primaryKey())
        .addColumn('router_id', 'text')
        .addColumn('subnet_id', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('admin_state_up', 'integer', (c) => c.notNull())
        .addColumn('flavor_id', 'text')
        .execute();
      await db.schema
        .alterTable('connections')
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('connections')
        .addColumn('mtu', 'integer', (c) => c.notNull().defaultTo(1500))
        .execute();
      await db.schema.alterTable('connections').addColumn('local_group_id', 'text').execute();
      await db.schema.alterTable('connections').addColumn('peer_group_id', 'text').execute();
      await db.schema
        .alterTable('ike_policies')
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('ipsec_policies')
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
    },
  },
  // The change log, generations, dialect extras, and uniqueness as indexes (one closed control plane).
  '0008-change-log-extras-unique': {
    // The rows of an older schema are read as loose records here.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      // One row per generation (the rowid: appending it writes one page), what it changed as JSON.
      await db.schema
        .createTable('changes')
        .addColumn('generation', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('entries', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .alterTable('connections')
        .addColumn('generation', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('vpn_gateways')
        .addColumn('generation', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('vpn_gateways')
        .addColumn('report_generation', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable('extras')
        .addColumn('dialect', 'text', (c) => c.notNull())
        .addColumn('resource', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('extras_pk', ['dialect', 'resource', 'id'])
        .execute();
      await db.schema
        .createTable('extra_refs')
        .addColumn('dialect', 'text', (c) => c.notNull())
        .addColumn('resource', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('ref_resource', 'text', (c) => c.notNull())
        .addColumn('ref_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('extra_refs_pk', ['dialect', 'resource', 'id', 'ref_resource', 'ref_id'])
        .execute();
      await db.schema.createIndex('extra_refs_target').on('extra_refs').columns(['ref_resource', 'ref_id']).execute();

      // Neutron's fields leave the domain's tables for Neutron's extras.
      const extras: { dialect: string; resource: string; id: string; data: string }[] = [];
      const refs: { dialect: string; resource: string; id: string; ref_resource: string; ref_id: string }[] = [];
      const conns = await db.selectFrom('connections').select(['id', 'description', 'mtu', 'local_group_id', 'peer_group_id', 'lifecycle_state']).execute();
      for (const c of conns) {
        if (c.description === '' && Number(c.mtu) === 1500 && c.local_group_id === null && c.peer_group_id === null) continue;
        extras.push({
          dialect: 'neutron',
          resource: 'connection',
          id: c.id,
          data: JSON.stringify({ description: c.description, mtu: Number(c.mtu), localGroupId: c.local_group_id, peerGroupId: c.peer_group_id }),
        });
        if (c.lifecycle_state === 'deleting') continue;
        for (const g of [c.local_group_id, c.peer_group_id])
          if (g !== null) refs.push({ dialect: 'neutron', resource: 'connection', id: c.id, ref_resource: 'endpoint_group', ref_id: g });
      }
      for (const [table, resource] of [
        ['ike_policies', 'ike_policy'],
        ['ipsec_policies', 'ipsec_policy'],
      ] as const) {
        for (const p of await db.selectFrom(table).select(['id', 'description']).where('description', '!=', '').execute()) {
          extras.push({ dialect: 'neutron', resource, id: p.id, data: JSON.stringify({ description: p.description }) });
        }
      }
      const services = await db
        .selectFrom('vpnservices')
        .innerJoin('vpn_gateways', 'vpn_gateways.id', 'vpnservices.gateway_id')
        .select([
          'vpnservices.gateway_id',
          'vpnservices.router_id',
          'vpnservices.subnet_id',
          'vpnservices.description',
          'vpnservices.admin_state_up',
          'vpnservices.flavor_id',
          'vpn_gateways.lifecycle_state',
        ])
        .execute();
      for (const v of services) {
        extras.push({
          dialect: 'neutron',
          resource: 'vpn_gateway',
          id: v.gateway_id,
          data: JSON.stringify({
            routerId: v.router_id,
            subnetId: v.subnet_id,
            description: v.description,
            adminStateUp: v.admin_state_up === 1,
            flavorId: v.flavor_id,
          }),
        });
        if (v.lifecycle_state === 'deleting') continue;
        if (v.router_id !== null) refs.push({ dialect: 'neutron', resource: 'vpn_gateway', id: v.gateway_id, ref_resource: 'router', ref_id: v.router_id });
        if (v.subnet_id !== null) refs.push({ dialect: 'neutron', resource: 'vpn_gateway', id: v.gateway_id, ref_resource: 'subnet', ref_id: v.subnet_id });
      }
      for (const e of extras) await db.insertInto('extras').values(e).execute();
      for (const r of refs) await db.insertInto('extra_refs').values(r).execute();
      for (const col of ['description', 'mtu', 'local_group_id', 'peer_group_id']) await db.schema.alterTable('connections').dropColumn(col).execute();
      await db.schema.alterTable('ike_policies').dropColumn('description').execute();
      await db.schema.alterTable('ipsec_policies').dropColumn('description').execute();
      await db.schema.dropTable('vpnservices').execute();

      // Names unique in their scope, as unique indexes (read-then-insert is not enough for two servers).
      const unique: [string, string, string, string[]][] = [
        ['vpcs_name_unique', 'vpcs', 'account_id', []],
        ['subnets_name_unique', 'subnets', 'vpc_id', []],
        ['gateways_name_unique', 'vpn_gateways', 'vpc_id', ['gateways_vpc_name']],
        ['connections_name_unique', 'connections', 'gateway_id', ['connections_gateway_name']],
        ['ike_name_unique', 'ike_policies', 'account_id', ['ike_account_name']],
        ['ipsec_name_unique', 'ipsec_policies', 'account_id', ['ipsec_account_name']],
      ];
      for (const [index, table, scope, drop] of unique) {
        // Older stores may hold duplicates: every one but the oldest gets its id's first block appended.
        const rows = await db.selectFrom(table).select(['id', 'name', scope, 'created_at']).orderBy('created_at').orderBy('id').execute();
        const seen = new Set<string>();
        for (const r of rows as Record<string, unknown>[]) {
          const key = `${String(r[scope])}\u0000${String(r['name'])}`;
          if (!seen.has(key)) {
            seen.add(key);
            continue;
          }
          await db
            .updateTable(table)
            .set({ name: `${String(r['name']).slice(0, 54)}-${String(r['id']).slice(0, 8)}` })
            .where('id', '=', r['id'])
            .execute();
        }
        for (const d of drop) await db.schema.dropIndex(d).ifExists().execute();
        await db.schema.createIndex(index).on(table).columns([scope, 'name']).unique().execute();
      }
    },
  },
  '0009-router-revision': {
    // Router updates are written over the revision read, like gateways, connections and policies.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('routers')
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  '0010-connection-reset': {
    // A reset re-initiates a tunnel (cloud.ca, Huawei, the native extension); cloud.ca's `Pending`
    // state needs to know whether a connection was ever up.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('connections')
        .addColumn('resets', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('connections').addColumn('first_up_at', 'integer').execute();
    },
  },
  '0011-pinned-member-dialect-objects': {
    // A connection may run on one gateway member only (Huawei's vgw_ip names one EIP); dialects may
    // keep objects no other dialect has (Huawei's customer gateways), with tenancy and paging columns.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('connections').addColumn('pinned_member', 'integer').execute();
      await db.schema
        .createTable('dialect_objects')
        .addColumn('dialect', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('dialect_objects_pk', ['dialect', 'kind', 'id'])
        .execute();
      await db.schema.createIndex('dialect_objects_page').on('dialect_objects').columns(['dialect', 'kind', 'account_id', 'created_at', 'id']).execute();
      // Objects are also read by id alone (a reference names only the id).
      await db.schema.createIndex('dialect_objects_id').on('dialect_objects').column('id').unique().execute();
    },
  },
  '0012-connection-lookups': {
    // cloud.ca refuses a second VPN of one name or to one peer gateway in an environment: both are
    // found by index (the OR of the two is answered from both indexes), not by scanning the account.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('connections_name').on('connections').column('name').execute();
      await sql`CREATE INDEX connections_peer_address ON connections (json_extract(peer, '$.address'))`.execute(db);
    },
  },
  '0013-access-keys': {
    // Huawei AK/SK credentials of Keystone users: the AK is the id, the SK is sealed (the SecretBox),
    // since verifying a signature needs the secret itself, not a hash.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('access_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('secret_enc', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('access_keys_user').on('access_keys').columns(['user_id', 'created_at']).execute();
    },
  },
  '0014-connection-events': {
    // The event timeline of each connection (what happened to its tunnel, when and why), paged newest
    // first by a monotonic id; and what the data plane last observed of a connection's SAs (`observed`,
    // JSON), which reports are diffed against so that only transitions become events.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      const pg = db.getExecutor().adapter instanceof PostgresAdapter;
      await db.schema
        .createTable('connection_events')
        .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('gateway_id', 'text', (c) => c.notNull())
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('cause', 'text')
        .addColumn('details', 'text')
        .execute();
      await db.schema.createIndex('connection_events_page').on('connection_events').columns(['connection_id', 'id']).execute();
      await db.schema.createIndex('connection_events_age').on('connection_events').column('created_at').execute();
      await db.schema.alterTable('connections').addColumn('observed', 'text').execute();
    },
  },
  '0015-routing-tables': {
    // VPC routing tables and their routes (IBM's /vpcs/{id}/routing_tables; Neutron's router routes),
    // and which subnets a table other than the default one routes. Every VPC has a default table: made
    // here for the VPCs that exist, and with each new VPC by the control plane.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('routing_tables')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('vpc_id', 'text', (c) => c.notNull().references('vpcs.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('routing_tables_name_unique').on('routing_tables').columns(['vpc_id', 'name']).unique().execute();
      await db.schema.createIndex('routing_tables_page').on('routing_tables').columns(['vpc_id', 'created_at', 'id']).execute();
      await db.schema
        .createTable('routes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('vpc_id', 'text', (c) => c.notNull())
        .addColumn('routing_table_id', 'text', (c) => c.notNull().references('routing_tables.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('zone', 'text', (c) => c.notNull())
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('next_hop_connection_id', 'text')
        .addColumn('next_hop_address', 'text')
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('routes_name_unique').on('routes').columns(['routing_table_id', 'name']).unique().execute();
      await db.schema.createIndex('routes_page').on('routes').columns(['routing_table_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('routes_next_hop').on('routes').column('next_hop_connection_id').execute();
      await db.schema.createIndex('routes_vpc').on('routes').column('vpc_id').execute();
      await db.schema
        .createTable('subnet_routing_tables')
        .addColumn('subnet_id', 'text', (c) => c.primaryKey())
        .addColumn('routing_table_id', 'text', (c) => c.notNull().references('routing_tables.id'))
        .execute();
      await db.schema.createIndex('subnet_routing_tables_table').on('subnet_routing_tables').column('routing_table_id').execute();
      const vpcs = await db.selectFrom('vpcs').select(['id', 'account_id', 'created_at']).execute();
      for (const v of vpcs) {
        await db
          .insertInto('routing_tables')
          .values({ id: newId(), account_id: v.account_id, vpc_id: v.id, name: randomName(), is_default: 1, created_at: Number(v.created_at) })
          .execute();
      }
    },
  },
  '0016-connection-tunnels-up': {
    // Which gateway members' tunnels of a connection are up, as the data plane last reported (a JSON
    // array of member indexes; null until a report says): status, never configuration.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('connections').addColumn('tunnels_up', 'text').execute();
    },
  },
};

export const codeMigrations: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
