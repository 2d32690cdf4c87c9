import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ControlPlane, DialectObject } from '../../control/index.js';
import { isUnicastEndpoint, parseAddress } from '../../domain/cidr.js';
import { isFqdn } from '../../domain/connection.js';
import { DomainError } from '../../domain/errors.js';
import type { Actor } from '../../domain/tenancy.js';
import { CgwCreate, CgwList, CgwListQuery, CgwOne, CgwUpdate, type CgwWire } from './customer-gateway-schema.js';
import { ERRORS, HUAWEI_TAGS, CgwParams, NoContent, ProjectParams } from './huawei-common-schema.js';
import { actorOf, HUAWEI, type HuaweiDeps, huaweiTime, projectOf } from './huawei-deps.js';
import { HuaweiError, invalid, notFoundError, missingAsUndefined } from './huawei-errors.js';
import { CGW_DEFAULT_ASN, CGW_PAGE, generatedName } from './huawei-rules.js';

export const CUSTOMER_GATEWAY = 'customer_gateway';

/** A customer gateway's own fields (a dialect-owned object: the domain has no counterpart). */
export interface CgwData {
  readonly idType: 'ip' | 'fqdn';
  readonly idValue: string;
  /** id_type ip only (B4); absent for fqdn. */
  readonly bgpAsn?: number;
  readonly tags: readonly { key: string; value: string }[];
}

export const cgwDataOf = (o: DialectObject): CgwData => o.data as unknown as CgwData;

export async function loadCustomerGateway(cp: ControlPlane, actor: Actor, project: string, id: string): Promise<DialectObject> {
  const o = await cp.dialectObjects.get(actor, HUAWEI, CUSTOMER_GATEWAY, id).catch(missingAsUndefined);
  if (!o || o.accountId !== project) throw notFoundError();
  return o;
}

function cgwView(o: DialectObject): CgwWire {
  const d = cgwDataOf(o);
  return {
    id: o.id,
    name: o.name,
    id_type: d.idType,
    id_value: d.idValue,
    ...(d.idType === 'ip' && d.bgpAsn !== undefined ? { bgp_asn: d.bgpAsn } : {}),
    created_at: huaweiTime(o.createdAt),
    updated_at: huaweiTime(o.updatedAt),
    tags: [...d.tags],
  };
}

/** B9: an ip customer gateway's id is a unicast IPv4 address: VPN.0203 for no address (or 0.x.x.x), VPN.0204 for class D, E or loopback. */
export function checkCgwAddress(v: string): void {
  const a = parseAddress(v);
  if (a?.family !== 4 || a.value >> 24n === 0n) throw new HuaweiError(400, 'VPN.0203', `Invalid IP address: ${v.slice(0, 64)}`);
  if (!isUnicastEndpoint(v)) throw new HuaweiError(400, 'VPN.0204', `IP address ${v} is class D, E or loopback, which is not supported`);
}

/** The marker of a page: the created_at of the last item (B8). */
export function markerTime(marker: string | undefined): number | undefined {
  if (marker === undefined) return undefined;
  const t = Date.parse(marker);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(marker) || Number.isNaN(t)) throw invalid(`marker '${marker.slice(0, 64)}' is not a created_at time`);
  return t;
}

/** customer-gateways (B4): CRUD, pages by `limit`/`marker` = created_at. */
export function customerGatewayRoutes(fastify: FastifyInstance, deps: HuaweiDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { control } = deps;
  const tags = HUAWEI_TAGS;

  app.post(
    '/:project_id/customer-gateways',
    { schema: { tags, summary: 'Create a customer gateway', params: ProjectParams, body: CgwCreate, response: { 201: CgwOne, ...ERRORS } } },
    async (req, reply) => {
      const project = projectOf(req);
      const b = req.body.customer_gateway;
      const idType = b.id_type ?? 'ip';
      if (idType === 'ip') checkCgwAddress(b.id_value);
      if (idType === 'fqdn' && !isFqdn(b.id_value)) throw invalid(`id_value '${b.id_value.slice(0, 64)}' is not a domain name`);
      // Terraform sends bgp_asn 0 for an fqdn gateway: "none", stored as absent.
      if (idType === 'ip' && b.bgp_asn === 0) throw invalid('bgp_asn must be between 1 and 4294967295');
      if (idType === 'fqdn' && b.bgp_asn) throw invalid('bgp_asn applies to id_type ip only');
      const data: CgwData = { idType, idValue: b.id_value, ...(idType === 'ip' ? { bgpAsn: b.bgp_asn ?? CGW_DEFAULT_ASN } : {}), tags: b.tags ?? [] };
      const o = await control.dialectObjects.put(actorOf(req), {
        dialect: HUAWEI,
        kind: CUSTOMER_GATEWAY,
        name: b.name ?? generatedName('cgw'),
        data: { ...data },
        accountId: project,
      });
      return reply.code(201).send({ customer_gateway: cgwView(o), request_id: req.id });
    },
  );

  app.get(
    '/:project_id/customer-gateways',
    { schema: { tags, summary: 'List customer gateways', params: ProjectParams, querystring: CgwListQuery, response: { 200: CgwList, ...ERRORS } } },
    async (req) => {
      const project = projectOf(req);
      const limit = req.query.limit ?? CGW_PAGE.default;
      const after = markerTime(req.query.marker);
      const page = await control.dialectObjects.list(actorOf(req), {
        dialect: HUAWEI,
        kind: CUSTOMER_GATEWAY,
        accountId: project,
        limit,
        ...(after !== undefined ? { after } : {}),
      });
      const last = page.items[page.items.length - 1];
      return {
        customer_gateways: page.items.map(cgwView),
        page_info: { ...(last ? { next_marker: huaweiTime(last.createdAt) } : {}), current_count: page.items.length },
        total_count: page.total,
        request_id: req.id,
      };
    },
  );

  app.get(
    '/:project_id/customer-gateways/:customer_gateway_id',
    { schema: { tags, summary: 'Show a customer gateway', params: CgwParams, response: { 200: CgwOne, ...ERRORS } } },
    async (req) => ({
      customer_gateway: cgwView(await loadCustomerGateway(control, actorOf(req), projectOf(req), req.params.customer_gateway_id)),
      request_id: req.id,
    }),
  );

  app.put(
    '/:project_id/customer-gateways/:customer_gateway_id',
    {
      schema: {
        tags,
        summary: 'Update a customer gateway (its name)',
        params: CgwParams,
        body: CgwUpdate,
        response: { 200: CgwOne, ...ERRORS },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      const o = await control.atomically(async (cp) => {
        const cur = await loadCustomerGateway(cp, actor, project, req.params.customer_gateway_id);
        return cp.dialectObjects.put(actor, {
          dialect: HUAWEI,
          kind: CUSTOMER_GATEWAY,
          id: cur.id,
          name: req.body.customer_gateway.name ?? cur.name,
          data: cur.data,
        });
      });
      return { customer_gateway: cgwView(o), request_id: req.id };
    },
  );

  app.delete(
    '/:project_id/customer-gateways/:customer_gateway_id',
    { schema: { tags, summary: 'Delete a customer gateway', params: CgwParams, response: { 204: NoContent, ...ERRORS } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const project = projectOf(req);
      await control.atomically(async (cp) => {
        const cur = await loadCustomerGateway(cp, actor, project, req.params.customer_gateway_id);
        try {
          await cp.dialectObjects.remove(actor, HUAWEI, CUSTOMER_GATEWAY, cur.id);
        } catch (e) {
          if (DomainError.is(e) && e.kind === 'in_use') throw new HuaweiError(400, 'VPN.0001', `invalid request: customer gateway ${cur.id} has connection`);
          throw e;
        }
      });
      return reply.code(204).send();
    },
  );
}
