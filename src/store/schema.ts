import type { Generated, Kysely, Transaction } from 'kysely';

/** Row types. They never leave src/store: each *-store.ts maps rows to domain values. */
export interface AccountRow {
  id: string;
  name: string;
  is_admin: number;
  created_at: number;
}
export interface ApiKeyRow {
  id: string;
  account_id: string;
  key_hash: string;
  created_at: number;
}
export interface ResourceGroupRow {
  id: string;
  account_id: string;
  name: string;
  is_default: number;
  created_at: number;
}
export interface VpcRow {
  id: string;
  account_id: string;
  resource_group_id: string;
  name: string;
  created_at: number;
}
export interface SubnetRow {
  id: string;
  account_id: string;
  resource_group_id: string;
  vpc_id: string;
  zone: string;
  name: string;
  cidr: string;
  ip_version: number;
  created_at: number;
}
export interface ReservedIpRow {
  id: string;
  subnet_id: string;
  address: string;
  owner_id: string;
}
export interface PublicIpRow {
  address: string;
  gateway_id: string;
  member_index: number;
}
export interface GatewayRow {
  id: string;
  account_id: string;
  resource_group_id: string;
  name: string;
  vpc_id: string;
  subnet_id: string;
  zone: string;
  mode: string;
  members: string;
  advertised_cidrs: string;
  local_asn: number;
  lifecycle_state: string;
  health_state: string;
  health_reasons: string;
  revision: number;
  created_at: number;
  updated_at: number;
  /** Totals over the gateway's connections, kept by ConnectionStore in the same transaction. */
  connection_count: Generated<number>;
  connection_cidr_count: Generated<number>;
  /** The generation of the last change to the gateway, and of the last agent report accepted for it. */
  generation: Generated<number>;
  report_generation: Generated<number>;
}
export interface IkePolicyRow {
  id: string;
  account_id: string;
  resource_group_id: string;
  name: string;
  ike_version: number;
  negotiation_mode: string;
  encryption: string;
  integrity: string;
  dh_groups: string;
  lifetime_seconds: number;
  revision: number;
  created_at: number;
  updated_at: number;
}
export interface IpsecPolicyRow {
  id: string;
  account_id: string;
  resource_group_id: string;
  name: string;
  encryption: string;
  integrity: string;
  pfs: string;
  lifetime_seconds: number;
  revision: number;
  created_at: number;
  updated_at: number;
}
export interface ConnectionRow {
  id: string;
  account_id: string;
  gateway_id: string;
  name: string;
  kind: string;
  admin_state_up: number;
  establish_mode: string;
  psk_enc: string;
  peer: string;
  peer_identity: string | null;
  local_identities: string;
  local_cidrs: string;
  peer_cidrs: string;
  ike_policy_id: string | null;
  ipsec_policy_id: string | null;
  auto_set: string;
  dpd: string;
  distribute_traffic: number;
  tunnels: string;
  status: string;
  status_reasons: string;
  /** The members whose tunnel was up in the last report (JSON array); null = not reported. Status: written by setStatus. */
  tunnels_up: string | null;
  lifecycle_state: string;
  first_up_at: number | null;
  resets: number;
  /** The gateway member (1 or 2) the connection is pinned to; null = not pinned. */
  pinned_member: number | null;
  revision: number;
  created_at: number;
  updated_at: number;
  /** Local plus peer CIDRs, kept beside the lists so per-gateway quota checks need not parse them. */
  cidr_count: number;
  /** The generation of the last change to the connection (its configuration or its deletion). */
  generation: Generated<number>;
  /** What the data plane last observed of its SAs, and the last generation applied (JSON; connection-event-store.ts). */
  observed: Generated<string | null>;
}

/** A VPC routing table; each VPC has exactly one with is_default = 1. */
export interface RoutingTableRow {
  id: string;
  account_id: string;
  vpc_id: string;
  name: string;
  is_default: number;
  created_at: number;
}
/** A route of a routing table; the next hop is a connection id, an address, or neither (not deliver). */
export interface RouteRow {
  id: string;
  account_id: string;
  vpc_id: string;
  routing_table_id: string;
  name: string;
  zone: string;
  destination: string;
  action: string;
  next_hop_connection_id: string | null;
  next_hop_address: string | null;
  priority: number;
  origin: string;
  created_at: number;
}
/** A subnet routed by a table other than its VPC's default one (no row: the default table). */
export interface SubnetRoutingTableRow {
  subnet_id: string;
  routing_table_id: string;
}

export interface AgentKeyRow {
  id: string;
  name: string;
  key_hash: string;
  created_at: number;
}

export interface UserRow {
  id: string;
  account_id: string;
  name: string;
  password_hash: string;
  is_admin: number;
  created_at: number;
}
/** A Huawei access key (AK = id) of a user; the secret key sealed with the SecretBox. */
export interface AccessKeyRow {
  id: string;
  user_id: string;
  secret_enc: string;
  created_at: number;
}
export interface RouterRow {
  id: string;
  account_id: string;
  name: string;
  description: string;
  admin_state_up: number;
  external_network_id: string | null;
  external_ip: string | null;
  created_at: number;
  updated_at: number;
  revision: number;
}
export interface RouterInterfaceRow {
  port_id: string;
  router_id: string;
  subnet_id: string;
  created_at: number;
}
export interface EndpointGroupRow {
  id: string;
  account_id: string;
  name: string;
  description: string;
  type: string;
  endpoints: string;
  created_at: number;
}

/**
 * The change log: one row per generation (the rowid, so a commit appends one page), with what that
 * transaction changed as JSON: `[{ resource, id, action, gatewayIds }]`.
 */
export interface ChangeRow {
  generation: number;
  at: number;
  entries: string;
}
/** One event of a connection's timeline; `details` is JSON. */
export interface ConnectionEventRow {
  id: Generated<number>;
  account_id: string;
  gateway_id: string;
  connection_id: string;
  created_at: number;
  type: string;
  message: string;
  cause: string | null;
  details: string | null;
}
/** A dialect's own fields on a resource of the domain (JSON, read and written only by that dialect). */
export interface ExtrasRow {
  dialect: string;
  resource: string;
  id: string;
  data: string;
}
/** References held by a dialect's extras: what they point at cannot be deleted while they do. */
export interface ExtraRefRow {
  dialect: string;
  resource: string;
  id: string;
  ref_resource: string;
  ref_id: string;
}

export interface Database {
  accounts: AccountRow;
  api_keys: ApiKeyRow;
  resource_groups: ResourceGroupRow;
  vpcs: VpcRow;
  subnets: SubnetRow;
  reserved_ips: ReservedIpRow;
  public_ips: PublicIpRow;
  vpn_gateways: GatewayRow;
  ike_policies: IkePolicyRow;
  ipsec_policies: IpsecPolicyRow;
  connections: ConnectionRow;
  connection_events: ConnectionEventRow;
  agent_keys: AgentKeyRow;
  users: UserRow;
  access_keys: AccessKeyRow;
  routers: RouterRow;
  router_interfaces: RouterInterfaceRow;
  endpoint_groups: EndpointGroupRow;
  changes: ChangeRow;
  extras: ExtrasRow;
  extra_refs: ExtraRefRow;
  dialect_objects: DialectObjectRow;
  routing_tables: RoutingTableRow;
  routes: RouteRow;
  subnet_routing_tables: SubnetRoutingTableRow;
}

/** An object only one dialect has (Huawei's customer gateway): tenancy and paging columns, the rest JSON. */
export interface DialectObjectRow {
  dialect: string;
  kind: string;
  id: string;
  account_id: string;
  name: string;
  data: string;
  created_at: number;
  updated_at: number;
}

/** Anything queries can run on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
