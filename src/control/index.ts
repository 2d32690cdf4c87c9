/**
 * The control plane: the one door to the domain and the store.
 *
 * Layer rule: `control` imports `domain` and `store`; everything after it (`api/<dialect>`, `agent`,
 * `cli`) imports `control` only through this file, and never `store` (test/layers.test.ts checks it).
 *
 * Exports: `createControlPlane` (the composition root builds one per process), the `ControlPlane`
 * type, and the input, view and error types its methods take and return.
 */
import { AccessKeyStore } from '../store/access-key-store.js';
import { ConnectionStore } from '../store/connection-store.js';
import { SecretBox } from '../store/secret-box.js';
import type { Store } from '../store/store-open.js';
import { ChangeBus } from './change-bus.js';
import { Clock } from './clock.js';
import { DesiredMemo } from './desired-memo.js';
import type { ControlSettings } from './control-deps.js';
import { bindControlPlane, type ControlPlane, tokenLookups } from './control-plane.js';
import { TokenService } from './token-service.js';
import { NO_TELEMETRY, type Telemetry } from '../domain/telemetry.js';

export interface ControlPlaneOptions {
  readonly store: Store;
  readonly settings: ControlSettings;
  /** Seals pre-shared keys and access keys' secrets at rest (AES-256-GCM). */
  readonly pskKey: Buffer;
  /** Signs access tokens (HS256). */
  readonly tokenKey: Buffer;
  /** Where SA transitions are counted (metrics); none by default. */
  readonly telemetry?: Telemetry;
}

export function createControlPlane(o: ControlPlaneOptions): ControlPlane {
  const box = new SecretBox(o.pskKey);
  const deps = {
    store: o.store,
    connections: new ConnectionStore(box),
    accessKeys: new AccessKeyStore(box),
    settings: o.settings,
    clock: new Clock(),
    bus: new ChangeBus(),
    desired: new DesiredMemo(),
    telemetry: o.telemetry ?? NO_TELEMETRY,
  };
  return bindControlPlane(deps, new TokenService(tokenLookups(deps), o.tokenKey));
}

export type { ControlPlane } from './control-plane.js';
export type { ControlSettings } from './control-deps.js';
export { SYSTEM_ACTOR } from './access.js';
export type { ExtraRef, ExtrasData, ExtrasInput, ReadOptions, WriteOptions } from './extras.js';
export type { Ref, ConnectionRef } from './view-refs.js';
export type { VpcView, SubnetView } from './network-queries.js';
export type { GatewayRecord, GatewayView } from './gateway-queries.js';
export type { GatewayInput, GatewayPatch } from './gateway-commands.js';
export type { ConnectionView } from './connection-queries.js';
export type { ConnectionStatusView } from './connection-status-queries.js';
export type { ConnectionEventView, ConnectionEventPage } from './connection-events.js';
export type { ConnectionEventType } from '../domain/connection-events.js';
export type { Telemetry } from '../domain/telemetry.js';
export type { SaFacts, ChildSaFact } from '../domain/sa-facts.js';
export type { ConnectionInput } from './create-connection.js';
export type { DialectObject, DialectObjectInput, DialectObjectQuery } from './dialect-objects.js';
export type { ConnectionPatch, UpdateOptions } from './update-connection.js';
export type { CidrOp, CidrSide } from './connection-cidrs.js';
export type { PolicyView } from './policy-queries.js';
export type { IkeContent, IpsecContent } from './content-policies.js';
export type { IkePolicyInput, IkePolicyPatch, IpsecPolicyInput, IpsecPolicyPatch, PolicyUpdateOptions } from './policy-commands.js';
export type { EndpointGroupInput } from './endpoint-group-commands.js';
export type { RouterView, PortView, PlacementInput } from './router-queries.js';
export type { RouterInput, RouterPatch, ExternalGatewayInput, InterfaceInfo } from './router-commands.js';
export type { DeleteGatewayOptions } from './delete-gateway.js';
export type { GatewayPlan, PlanConnection } from './gateway-plan.js';
export type { RoutingTableView, RouteView } from './routing-table-queries.js';
export type { RouterRoute } from './router-routes.js';
export type { RoutingTableInput, RouteInput, RoutePatch } from './routing-table-commands.js';
export type { AgentReport, GatewayObservation, ReportedConnection } from './report-status.js';
export type { ReleaseFilter, ReleaseScope } from './finalize-deletes.js';
export type { ChangeBatch, ChangeEntry } from './change-feed.js';
export type { AgentKeyInfo } from './agent-keys.js';
export type { User, NewUser } from './users.js';
export type { AccessKeyInfo, CreatedAccessKey, AccessKeyOwner } from './access-keys.js';
export type { CreatedAccount } from './create-account.js';
export { ACCOUNT_NAME, ADMIN_ACCOUNT } from './create-account.js';
export { TOKEN_LIFETIME_SECONDS, type Inspected, type IssuedToken, type TokenClaims, type TokenService } from './token-service.js';
export type { Page, PageRequest } from '../store/page-query.js';
export type { GatewayFilter } from '../store/gateway-store.js';
export type { ConnectionFilter } from '../store/connection-store.js';
