import { Type } from 'typebox';
import { CONNECTION_KINDS, DPD_ACTIONS, ESTABLISH_MODES } from '../../domain/connection.js';
import { DH_GROUP_NUMBERS } from '../../domain/crypto-catalogue.js';
import { GATEWAY_MODES } from '../../domain/gateway.js';
import { AUTO_SETS } from '../../domain/proposals.js';
import { HEALTH_STATES, LIFECYCLE_STATES } from '../../domain/tenancy.js';
import { ROUTE_ACTIONS } from '../../domain/vpc-route.js';

/**
 * The agent API's wire shapes. The plan is the control plane's GatewayPlan as JSON, field for field
 * (agent-schema.test.ts checks that serializing a plan through this schema loses nothing).
 */
const Str = Type.String();
const Int = Type.Integer();
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const ReasonSchema = Type.Object({ code: Type.String({ maxLength: 100 }), message: Type.String({ maxLength: 1000 }) }, { additionalProperties: false });
const Lifecycle = Enum(LIFECYCLE_STATES);
const Health = Enum(HEALTH_STATES);

const Member = Type.Object({
  index: Type.Union([Type.Literal(1), Type.Literal(2)]),
  role: Enum(['active', 'standby']),
  publicIp: Nullable(Str),
  privateIp: Type.Object({ id: Str, address: Str }),
  lifecycleState: Lifecycle,
  healthState: Health,
  healthReasons: Type.Array(ReasonSchema),
});
const Gateway = Type.Object({
  id: Str,
  accountId: Str,
  resourceGroupId: Str,
  name: Str,
  vpcId: Str,
  subnetId: Str,
  zone: Str,
  mode: Enum(GATEWAY_MODES),
  members: Type.Array(Member),
  advertisedCidrs: Type.Array(Str),
  localAsn: Int,
  lifecycleState: Lifecycle,
  healthState: Health,
  healthReasons: Type.Array(ReasonSchema),
  revision: Int,
  createdAt: Int,
  updatedAt: Int,
});
const Subnet = Type.Object({
  id: Str,
  accountId: Str,
  resourceGroupId: Str,
  vpcId: Str,
  zone: Str,
  name: Str,
  cidr: Str,
  ipVersion: Type.Union([Type.Literal(4), Type.Literal(6)]),
  createdAt: Int,
});
const PlanConnection = Type.Object({
  id: Str,
  adminStateUp: Type.Boolean(),
  lifecycleState: Lifecycle,
  localCidrs: Type.Array(Str),
  peerCidrs: Type.Array(Str),
  distributeTraffic: Type.Boolean(),
  generation: Type.Optional(Int),
});
const DesiredTunnel = Type.Object({
  memberIndex: Type.Union([Type.Literal(1), Type.Literal(2)]),
  localAddress: Str,
  localId: Str,
  interfaceIp: Nullable(Str),
  neighborIp: Nullable(Str),
});
const Pfs = Type.Union([...DH_GROUP_NUMBERS.map((g) => Type.Literal(g)), Type.Literal('none')]);
const DesiredConnection = Type.Object({
  connectionId: Str,
  gatewayId: Str,
  accountId: Str,
  revision: Int,
  kind: Enum(CONNECTION_KINDS),
  adminStateUp: Type.Boolean(),
  ikePolicyId: Nullable(Str),
  ipsecPolicyId: Nullable(Str),
  autoSet: Enum(AUTO_SETS),
  ikeVersion: Type.Union([Type.Literal(1), Type.Literal(2)]),
  aggressive: Type.Boolean(),
  ikeProposals: Type.Array(Str),
  espProposals: Type.Array(Str),
  ikeLifetime: Type.Object({ lifetimeSeconds: Int, rekeySeconds: Int, overSeconds: Int }),
  espLifetime: Type.Object({ lifetimeSeconds: Int, rekeySeconds: Int }),
  pfs: Type.Array(Pfs),
  psk: Str,
  remoteAddress: Str,
  remoteId: Str,
  localTs: Type.Array(Str),
  remoteTs: Type.Array(Str),
  tunnels: Type.Array(DesiredTunnel),
  dpd: Type.Object({
    action: Enum(DPD_ACTIONS),
    dpdAction: Enum(['restart', 'clear']),
    delaySeconds: Int,
    timeoutSeconds: Int,
    timeoutVia: Enum(['dpd_timeout', 'retransmit']),
  }),
  establish: Type.Object({ mode: Enum(ESTABLISH_MODES), startAction: Enum(['start', 'none']), closeAction: Type.Literal('none'), keyingtries: Int }),
  resets: Int,
  hash: Str,
});
const Desired = Type.Object({
  gatewayId: Str,
  revision: Int,
  connections: Type.Array(DesiredConnection),
  retransmit: Type.Union([Type.Object({ timeout: Type.Number(), base: Type.Number(), tries: Int }), Type.Null()]),
  aggressivePsk: Type.Boolean(),
  hash: Str,
});

const PlannedRoute = Type.Object({
  routingTableId: Str,
  routeId: Str,
  destination: Str,
  action: Enum(ROUTE_ACTIONS),
  nextHopConnectionId: Type.Optional(Str),
  priority: Int,
  zone: Str,
  subnetCidrs: Type.Array(Str),
});

export const PlanSchema = Type.Object(
  {
    gatewayId: Str,
    generation: Int,
    gateway: Type.Union([Gateway, Type.Null()]),
    subnets: Type.Array(Subnet),
    connections: Type.Array(PlanConnection),
    desired: Type.Union([Desired, Type.Null()]),
    vpcShared: Type.Boolean(),
    vpcRoutesShared: Type.Boolean(),
    vpcRoutes: Type.Array(PlannedRoute),
  },
  { description: 'Everything an agent needs to reconcile one gateway, read at `generation`. Holds pre-shared keys.' },
);

const Counter = Type.Integer({ minimum: 0 });
/** What charon's list-sas showed of one connection's SAs (optional: agents before the event timeline send none). */
export const SaFactsSchema = Type.Object(
  {
    ike_state: Type.Union([Type.String({ maxLength: 32 }), Type.Null()], { description: 'The IKE_SA state (ESTABLISHED, CONNECTING, …); null: none.' }),
    ike_initiator: Type.Optional(Type.Boolean({ description: 'Whether the gateway initiated the IKE_SA.' })),
    children: Type.Array(
      Type.Object(
        {
          unique_id: Type.String({ maxLength: 32, description: "charon's unique id of the CHILD_SA; a rekey gives a new one." }),
          state: Type.String({ maxLength: 32 }),
          spi_in: Type.Optional(Type.String({ maxLength: 16 })),
          spi_out: Type.Optional(Type.String({ maxLength: 16 })),
          bytes_in: Counter,
          bytes_out: Counter,
          packets_in: Counter,
          packets_out: Counter,
        },
        { additionalProperties: false },
      ),
      { maxItems: 64 },
    ),
  },
  { additionalProperties: false },
);

export const ReportSchema = Type.Object(
  {
    generation: Type.Integer({
      minimum: 0,
      description: 'The generation of the plan the observations were made against; an older one than the last accepted is ignored.',
    }),
    gateway: Type.Optional(
      Type.Object(
        {
          lifecycle_state: Lifecycle,
          health_state: Health,
          reasons: Type.Array(ReasonSchema, { maxItems: 20 }),
          member_roles: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  index: Type.Union([Type.Literal(1), Type.Literal(2)]),
                  role: Enum(['active', 'standby']),
                  failed: Type.Optional(Type.Boolean({ description: 'The member failed (its charon died or its links are cut).' })),
                },
                { additionalProperties: false },
              ),
              {
                maxItems: 2,
                description: 'The roles the data plane runs the members in (a change is recorded as a member failover), and which failed.',
              },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    connections: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ maxLength: 64 }),
            status: Enum(['up', 'down']),
            reasons: Type.Array(ReasonSchema, { maxItems: 20 }),
            sa: Type.Optional(SaFactsSchema),
            tunnels_up: Type.Optional(
              Type.Array(Type.Union([Type.Literal(1), Type.Literal(2)]), {
                maxItems: 2,
                uniqueItems: true,
                description:
                  'The gateway members (1, 2) with an installed CHILD_SA of the connection: its tunnels that are up. Absent (agents before per-tunnel status): not known.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        { maxItems: 10_000 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const AgentError = Type.Object({ error: Type.Object({ code: Str, message: Str }) });
export const GatewayParams = Type.Object({ gateway: Type.String({ maxLength: 64 }) });
export const ReleasedQuery = Type.Object({
  scope: Type.Optional(Enum(['connections', 'gateway'])),
  generation: Type.Integer({ minimum: 0, description: 'The generation of the plan whose deletions the agent carried out; only those go.' }),
});
export const ChangesQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0, description: 'Resume after this generation; absent (or too old): the first line says resync.' })),
});
