import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/tenancy.js';
import { findAccountByKeyHash, getAccount } from '../store/account-store.js';
import type { PolicyTable } from '../store/policy-store.js';
import { getUser } from '../store/user-store.js';
import { SYSTEM_ACTOR } from './access.js';
import { accessKeySecret, createAccessKey, deleteAccessKey, listAccessKeys } from './access-keys.js';
import { agentOfKey, createAgentKey, deleteAgentKey, listAgentKeys } from './agent-keys.js';
import { awaitGatewaysReleased } from './await-released.js';
import { type ChangeBatch, currentGenerationOf, followChanges, type FollowOptions, readChanges } from './change-feed.js';
import { type CidrOp, type CidrSide, editConnectionCidr, listConnectionCidrs } from './connection-cidrs.js';
import { listConnectionEvents } from './connection-events.js';
import { connectionCounters, connectionStatusCounts } from '../store/connection-metrics-store.js';
import { listConnectionStatuses } from './connection-status-queries.js';
import { connectionsNamedOrTo, desiredOf, findConnection, getConnection, listConnections } from './connection-queries.js';
import type { ControlDeps } from './control-deps.js';
import { bootstrapAdmin, createAccount, listAccounts } from './create-account.js';
import { createConnection } from './create-connection.js';
import { deleteConnection } from './delete-connection.js';
import { deleteGateway } from './delete-gateway.js';
import { ikePolicyForContent, ipsecPolicyForContent, releaseContentPolicy } from './content-policies.js';
import { resetConnection } from './reset-connection.js';
import {
  createEndpointGroup,
  editEndpointGroup,
  getEndpointGroupView,
  groupCidrs,
  listEndpointGroupViews,
  removeEndpointGroup,
} from './endpoint-group-commands.js';
import { getDialectObjectOf, listDialectObjectsOf, putDialectObject, removeDialectObject } from './dialect-objects.js';
import { putObjectExtras } from './extras.js';
import { finalizeDeletes, type ReleaseFilter } from './finalize-deletes.js';
import { createGateway, editAdvertisedCidr, updateGateway } from './gateway-commands.js';
import { gatewayPlan, planGatewayIds } from './gateway-plan.js';
import { gatewaysInVpc, getGatewayRecord, getGatewayView, listGatewayViews } from './gateway-queries.js';
import { getSubnetView, getVpcView, listSubnetViews, listVpcViews, publicNetworkOwner, subnetsByIds, vpcWithSubnets } from './network-queries.js';
import { createIkePolicy, createIpsecPolicy, deletePolicyById, updateIkePolicy, updateIpsecPolicy } from './policy-commands.js';
import { getIkePolicyView, getIpsecPolicyView, ikePolicyRecord, ipsecPolicyRecord, listIkePolicyViews, listIpsecPolicyViews } from './policy-queries.js';
import { applyAgentReport } from './report-status.js';
import {
  createRoute,
  createRoutingTable,
  deleteRoute,
  deleteRoutingTable,
  replaceSubnetRoutingTable,
  updateRoute,
  updateRoutingTable,
} from './routing-table-commands.js';
import {
  defaultRoutingTableView,
  getRouteView,
  getRoutingTableView,
  listRouteViews,
  listRoutingTableViews,
  subnetRoutingTableView,
} from './routing-table-queries.js';
import { addRouterInterface, createRouter, removeRouter, removeRouterInterface, updateRouter } from './router-commands.js';
import { createGatewayOnRouter, getPortView, getRouterView, listPortViews, listRouterViews } from './router-queries.js';
import { setRouterRoutes } from './router-routes.js';
import type { TokenService } from './token-service.js';
import { runTx, type Tx, type Work } from './tx.js';
import {
  allUsers,
  checkPassword,
  createUser,
  findProject,
  findUser,
  hashNewUser,
  listUsers,
  type NewUser,
  showProject,
  showUser,
  storedUser,
  visibleProjects,
  visibleUsers,
} from './users.js';
import { updateConnection } from './update-connection.js';
import { createSubnet, createVpc, removeSubnet, removeVpc, renameSubnet, renameVpc } from './vpc-commands.js';

type Fn<A extends unknown[], R> = (tx: Tx, ...args: A) => Promise<R>;

function adminOnly(tx: Tx): void {
  if (!tx.actor.isAdmin) throw new DomainError('not_permitted', 'Only an administrator may do this.');
}

/**
 * Binds every command and query to transactions: each call is one transaction, or part of the
 * enclosing one inside `atomically`. `work` is that enclosing transaction.
 */
function bindCore(deps: ControlDeps, tokens: TokenService, work?: Work) {
  const write =
    <A extends unknown[], R>(f: Fn<A, R>) =>
    (actor: Actor, ...a: A): Promise<R> =>
      runTx(deps, 'write', actor, (tx) => f(tx, ...a), work);
  const read =
    <A extends unknown[], R>(f: Fn<A, R>) =>
    (actor: Actor, ...a: A): Promise<R> =>
      runTx(deps, 'read', actor, (tx) => f(tx, ...a), work);
  const admin =
    <A extends unknown[], R>(f: Fn<A, R>): Fn<A, R> =>
    (tx, ...a) => {
      adminOnly(tx);
      return f(tx, ...a);
    };
  const system =
    <A extends unknown[], R>(f: Fn<A, R>) =>
    (...a: A): Promise<R> =>
      runTx(deps, 'write', SYSTEM_ACTOR, (tx) => f(tx, ...a), work);
  const systemRead =
    <A extends unknown[], R>(f: Fn<A, R>) =>
    (...a: A): Promise<R> =>
      runTx(deps, 'read', SYSTEM_ACTOR, (tx) => f(tx, ...a), work);
  const systemSnapshot =
    <A extends unknown[], R>(f: Fn<A, R>) =>
    (...a: A): Promise<R> =>
      runTx(deps, 'snapshot', SYSTEM_ACTOR, (tx) => f(tx, ...a), work);
  /** Subnet and VPC deletes first wait (outside any transaction) for gateways the data plane is still tearing down. */
  const released = (on: (...a: string[]) => { subnetId: string } | { vpcId: string }) => (id: string) =>
    work ? Promise.resolve() : awaitGatewaysReleased(deps, on(id));

  const plane = {
    /** The settings a dialect renders (region, zones, the public pool, the data plane's kind). */
    settings: {
      region: deps.settings.region,
      zones: deps.settings.zones,
      publicPool: deps.settings.publicPool,
      dataplane: deps.settings.dataplane,
      quotas: deps.settings.quotas,
    },
    tokens,

    vpcs: {
      create: write(createVpc),
      rename: write(renameVpc),
      remove: async (actor: Actor, id: string, opts: { withSubnets?: boolean } = {}): Promise<void> => {
        await released((v) => ({ vpcId: v }))(id);
        return write(removeVpc)(actor, id, opts);
      },
      get: read(getVpcView),
      /** The VPC and its subnets, oldest first, without a view. */
      withSubnets: read(vpcWithSubnets),
      list: read(listVpcViews),
      /** The account that owns the shared public network (shown to everyone, so asked by no one). */
      publicNetworkOwner: systemRead(publicNetworkOwner),
    },
    subnets: {
      create: write(createSubnet),
      rename: write(renameSubnet),
      remove: async (actor: Actor, id: string): Promise<void> => {
        await released((s) => ({ subnetId: s }))(id);
        return write(removeSubnet)(actor, id);
      },
      get: read(getSubnetView),
      list: read(listSubnetViews),
      byIds: read(subnetsByIds),
    },
    /** VPC routing tables (IBM's model; Neutron's router routes are the default table's). */
    routingTables: {
      create: write(createRoutingTable),
      update: write(updateRoutingTable),
      remove: write(deleteRoutingTable),
      get: read(getRoutingTableView),
      list: read(listRoutingTableViews),
      /** The VPC's default table (made with the VPC, never deleted on its own). */
      default: read(defaultRoutingTableView),
      /** The table that routes a subnet, and the command that associates it with another one. */
      ofSubnet: read(subnetRoutingTableView),
      setForSubnet: write(replaceSubnetRoutingTable),
    },
    routes: {
      create: write(createRoute),
      update: write(updateRoute),
      remove: write(deleteRoute),
      get: read(getRouteView),
      list: read(listRouteViews),
    },
    gateways: {
      create: write(createGateway),
      createOnRouter: write(createGatewayOnRouter),
      update: write(updateGateway),
      remove: write(deleteGateway),
      get: read(getGatewayView),
      /** The gateway and its extras without the view's connection references: for a path that needs only the gateway. */
      record: read(getGatewayRecord),
      list: read(listGatewayViews),
      /** A VPC's live gateways with a dialect's extras, without views (cheap enough for a create path). */
      inVpc: read(gatewaysInVpc),
      /** Adds or removes an advertised CIDR (a command), or checks that one is advertised (a query). */
      advertisedCidr: (actor: Actor, id: string, cidr: string, op: 'add' | 'remove' | 'check') =>
        (op === 'check' ? read(editAdvertisedCidr) : write(editAdvertisedCidr))(actor, id, cidr, op),
    },
    connections: {
      create: write(createConnection),
      update: write(updateConnection),
      remove: write(deleteConnection),
      /** Re-initiates the tunnel: the data plane replaces its SAs (reset-connection.ts). */
      reset: write(resetConnection),
      get: read(getConnection),
      find: read(findConnection),
      list: read(listConnections),
      /** The status of every connection the actor may see, light (no views, no PSK opened): for live status views. */
      statuses: read(listConnectionStatuses),
      /** The actor's own live policy connections with this name or to this peer address (light rows). */
      namedOrTo: read(connectionsNamedOrTo),
      /** Adds or removes a local or peer CIDR (a command), or checks that one is there (a query). */
      cidr: (actor: Actor, gatewayId: string, id: string, side: CidrSide, cidr: string, op: CidrOp) =>
        (op === 'check' ? read(editConnectionCidr) : write(editConnectionCidr))(actor, gatewayId, id, side, cidr, op),
      cidrs: read(listConnectionCidrs),
      /** The desired state of a connection (its peer configuration is rendered from it). Holds the PSK. */
      desired: read(desiredOf),
      /** The connection's event timeline, newest first (connection-events.ts). */
      events: read(listConnectionEvents),
    },
    ikePolicies: {
      create: write(createIkePolicy),
      update: write(updateIkePolicy),
      remove: write((tx: Tx, id: string) => deletePolicyById(tx, 'ike_policies' satisfies PolicyTable, id)),
      get: read(getIkePolicyView),
      /** The policy without a view's connection references. */
      record: read(ikePolicyRecord),
      /** The account's policy of this content, made when missing (content-policies.ts). */
      forContent: write(ikePolicyForContent),
      /** Removes a content-named policy once no connection uses it. */
      release: write((tx: Tx, id: string | null | undefined) => releaseContentPolicy(tx, 'ike_policies', id)),
      list: read(listIkePolicyViews),
    },
    ipsecPolicies: {
      create: write(createIpsecPolicy),
      update: write(updateIpsecPolicy),
      remove: write((tx: Tx, id: string) => deletePolicyById(tx, 'ipsec_policies', id)),
      get: read(getIpsecPolicyView),
      record: read(ipsecPolicyRecord),
      forContent: write(ipsecPolicyForContent),
      release: write((tx: Tx, id: string | null | undefined) => releaseContentPolicy(tx, 'ipsec_policies', id)),
      list: read(listIpsecPolicyViews),
    },
    endpointGroups: {
      create: write(createEndpointGroup),
      update: write(editEndpointGroup),
      remove: write(removeEndpointGroup),
      get: read(getEndpointGroupView),
      list: read(listEndpointGroupViews),
      cidrs: read(groupCidrs),
    },
    routers: {
      create: write(createRouter),
      update: write(updateRouter),
      remove: write(removeRouter),
      get: read(getRouterView),
      list: read(listRouterViews),
      addInterface: write(addRouterInterface),
      /** Makes the router's extra routes exactly these (router-routes.ts). */
      setRoutes: write(setRouterRoutes),
      removeInterface: write(removeRouterInterface),
    },
    ports: { get: read(getPortView), list: read(listPortViews) },
    /** A dialect's extras on an object the actor may see (see extras.ts). */
    extras: { put: write(putObjectExtras) },
    /** Objects only one dialect has (Huawei's customer gateways), with tenancy and paging (dialect-objects.ts). */
    dialectObjects: {
      put: write(putDialectObject),
      get: read(getDialectObjectOf),
      list: read(listDialectObjectsOf),
      remove: write(removeDialectObject),
    },

    accounts: {
      create: write(admin(createAccount)),
      list: read(admin(listAccounts)),
      /** The operator's account on first start; undefined when accounts exist. */
      bootstrapAdmin: system(bootstrapAdmin),
      /** A project (an account) by id or name, for signing in (before there is an actor). */
      find: systemRead(findProject),
      /** The accounts the actor may see, and one of them by id (another's answers as missing). */
      visible: read(visibleProjects),
      show: read(showProject),
    },
    users: {
      create: async (actor: Actor, input: NewUser) => write(admin(createUser))(actor, await hashNewUser(input)),
      list: read(admin(listUsers)),
      all: read(admin(allUsers)),
      /** A user by id or name, for signing in and token checks (before there is an actor). */
      find: systemRead(findUser),
      /** The users the actor may see (`self`: the user it signed in as), and one of them by id. */
      visible: read(visibleUsers),
      show: read(showUser),
      /** The user behind an id or name with this password; undefined otherwise (the password check runs outside the transaction). */
      authenticate: async (ref: { id: string } | { name: string }, password: string) => checkPassword(await systemRead(storedUser)(ref), password),
    },
    /** Huawei access keys (AK/SK) of users: `self` is the user the actor signed in as (access-keys.ts). */
    accessKeys: {
      create: write(createAccessKey),
      list: read(listAccessKeys),
      remove: write(deleteAccessKey),
      /** The secret and owner behind an AK, to verify a signature (before there is an actor). */
      secretFor: systemRead(accessKeySecret),
    },
    agentKeys: {
      create: write(admin(createAgentKey)),
      list: read(admin(listAgentKeys)),
      remove: write(admin(deleteAgentKey)),
      authenticate: systemRead(agentOfKey),
    },

    /** What the data plane's agents read and report (they act for every account). */
    agent: {
      gatewayIds: systemRead(planGatewayIds),
      /** One snapshot: the plan's gateway, connections, policies and generation belong to one commit. */
      plan: systemSnapshot(gatewayPlan),
      report: system(applyAgentReport),
      /** The data plane let go of what was being deleted in the plan of `generation`: remove it. */
      released: system((tx: Tx, gatewayId: string, f: Omit<ReleaseFilter, 'gatewayId'>) => finalizeDeletes(tx, { ...f, gatewayId })),
      /** With no data plane attached: remove everything being deleted. */
      finalizeAll: system((tx: Tx) => finalizeDeletes(tx)),
    },
    /** What GET /metrics reads at scrape time, from the store (right with any number of servers); its access is the endpoint's guard. */
    metrics: {
      /** Live connections by status and reported reason codes, counted. */
      connectionStatuses: systemRead((tx: Tx) => connectionStatusCounts(tx.ex)),
      /** Per live connection, the bytes and packets its installed CHILD_SAs counted at the last report. */
      trafficCounters: systemRead((tx: Tx) => connectionCounters(tx.ex)),
    },
    changes: {
      current: systemRead(currentGenerationOf),
      read: systemRead(readChanges),
      /** Follows the change log from a generation; see change-feed.ts. */
      follow(from: number, deliver: (batch: ChangeBatch) => void, opts: FollowOptions = {}): () => void {
        return followChanges(
          { read: (g) => plane.changes.read(g), current: () => plane.changes.current(), onCommit: (l) => deps.bus.subscribe(l) },
          from,
          deliver,
          opts,
        );
      },
    },
  };
  return plane;
}

/**
 * The one door to the domain and the store: every dialect, the agent API and the CLI use this and
 * nothing else. Each method takes the acting `Actor` first (tenancy is decided inside, in access.ts).
 * A command runs in one write transaction, its checks included; a query reads the latest commit.
 */
export interface ControlPlane extends ReturnType<typeof bindCore> {
  /** Runs `fn` with a control plane whose every call shares one transaction: all of it commits, or none. */
  atomically<T>(fn: (cp: ControlPlane) => Promise<T>): Promise<T>;
}

export function bindControlPlane(deps: ControlDeps, tokens: TokenService, work?: Work): ControlPlane {
  const core = bindCore(deps, tokens, work);
  const plane: ControlPlane = {
    ...core,
    atomically<T>(fn: (cp: ControlPlane) => Promise<T>): Promise<T> {
      if (work) return fn(plane);
      return runTx(deps, 'write', SYSTEM_ACTOR, (tx) => fn(bindControlPlane(deps, tokens, tx.work)));
    },
  };
  return plane;
}

/** Token lookups run in their own read transactions. */
export function tokenLookups(deps: ControlDeps) {
  const r = <T>(f: (tx: Tx) => Promise<T>) => runTx(deps, 'read', SYSTEM_ACTOR, f);
  return {
    account: (id: string) => r((tx) => getAccount(tx.ex, id)),
    accountByKeyHash: (h: string) => r((tx) => findAccountByKeyHash(tx.ex, h)),
    user: (id: string) => r((tx) => getUser(tx.ex, id)),
  };
}
