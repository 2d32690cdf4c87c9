import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';

/** Migrations live in code, in order; never edit one that has shipped, add the next. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('is_admin', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('resource_groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('vpcs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('resource_group_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('subnets')
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
      await db.schema.createTable('reserved_ips')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subnet_id', 'text', (c) => c.notNull().references('subnets.id'))
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addUniqueConstraint('reserved_ips_subnet_address', ['subnet_id', 'address'])
        .execute();
      await db.schema.createTable('public_ips')
        .addColumn('address', 'text', (c) => c.primaryKey())
        .addColumn('gateway_id', 'text', (c) => c.notNull())
        .addColumn('member_index', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createTable('vpn_gateways')
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
        let t = db.schema.createTable(table)
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
        t = table === 'ike_policies'
          ? t.addColumn('ike_version', 'integer', (c) => c.notNull()).addColumn('negotiation_mode', 'text', (c) => c.notNull()).addColumn('dh_groups', 'text', (c) => c.notNull())
          : t.addColumn('pfs', 'text', (c) => c.notNull());
        await t.execute();
      }
      await db.schema.createTable('connections')
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
      await db.schema.alterTable('connections').addColumn('cidr_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
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
      await db.schema.alterTable('vpn_gateways').addColumn('connection_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('vpn_gateways').addColumn('connection_cidr_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await sql`update vpn_gateways set
        connection_count = (select count(*) from connections c where c.gateway_id = vpn_gateways.id),
        connection_cidr_count = (select coalesce(sum(c.cidr_count), 0) from connections c where c.gateway_id = vpn_gateways.id)`.execute(db);
      await db.schema.dropIndex('connections_gateway_cidrs').execute();
    },
  },
  '0006-agent-keys': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('agent_keys')
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
      await db.schema.createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('is_admin', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // Neutron routers: a router joins subnets (interfaces) and holds the external gateway.
      await db.schema.createTable('routers')
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
      await db.schema.createTable('router_interfaces')
        .addColumn('port_id', 'text', (c) => c.primaryKey())
        .addColumn('router_id', 'text', (c) => c.notNull())
        .addColumn('subnet_id', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('router_interfaces_router').on('router_interfaces').column('router_id').execute();
      await db.schema.createTable('endpoint_groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('endpoints', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      // A Neutron vpnservice is a policy-mode gateway plus these.
      await db.schema.createTable('vpnservices')
        .addColumn('gateway_id', 'text', (c) => c.primaryKey())
        .addColumn('router_id', 'text')
        .addColumn('subnet_id', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('admin_state_up', 'integer', (c) => c.notNull())
        .addColumn('flavor_id', 'text')
        .execute();
      await db.schema.alterTable('connections').addColumn('description', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('connections').addColumn('mtu', 'integer', (c) => c.notNull().defaultTo(1500)).execute();
      await db.schema.alterTable('connections').addColumn('local_group_id', 'text').execute();
      await db.schema.alterTable('connections').addColumn('peer_group_id', 'text').execute();
      await db.schema.alterTable('ike_policies').addColumn('description', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('ipsec_policies').addColumn('description', 'text', (c) => c.notNull().defaultTo('')).execute();
    },
  },
};

export const codeMigrations: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
