import swagger from '@fastify/swagger';
import { Ajv } from 'ajv';
import Fastify, { type FastifyError, type FastifyRequest } from 'fastify';
import type { TObject } from 'typebox';
import { describe, expect, it } from 'vitest';
import type { ControlPlane } from '../../control/index.js';
import { installValidators } from '../validation.js';
import { neutronPlugin } from './index.js';
import { INVALID_KEY, keysOf } from './neutron-common-schema.js';
import { NetworkCreate, NetworkUpdate } from './network-schema.js';
import { InterfaceBody, RouterCreate, RouterUpdate } from './router-schema.js';
import { SubnetCreate, SubnetUpdate } from './subnet-schema.js';
import { fromValidation } from './neutron-validation-errors.js';
import { CONNECTION_FIELDS, CONNECTION_READ_ONLY, CONNECTION_UPDATABLE } from './vpn-connection-mapper.js';
import { ConnectionCreate, ConnectionUpdate } from './vpn-connection-schema.js';
import { EndpointGroupCreate, EndpointGroupUpdate } from './vpn-endpoint-group-schema.js';
import { IKE_FIELDS, IPSEC_FIELDS } from './vpn-policy-mapper.js';
import { IkePolicyCreate, IkePolicyUpdate, IpsecPolicyCreate, IpsecPolicyUpdate } from './vpn-policy-schema.js';
import { VpnServiceCreate, VpnServiceUpdate } from './vpn-service-schema.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BODIES: Record<string, TObject> = {
  NetworkCreate,
  NetworkUpdate,
  SubnetCreate,
  SubnetUpdate,
  RouterCreate,
  RouterUpdate,
  VpnServiceCreate,
  VpnServiceUpdate,
  EndpointGroupCreate,
  EndpointGroupUpdate,
  IkePolicyCreate,
  IkePolicyUpdate,
  IpsecPolicyCreate,
  IpsecPolicyUpdate,
  ConnectionCreate,
  ConnectionUpdate,
};

/** The answer a body gets when the route schema refuses it, as the Neutron error handler builds it. */
const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, removeAdditional: false, useDefaults: false });
function refusal(schema: TObject, body: unknown, method: 'POST' | 'PUT' = 'POST') {
  const validate = ajv.compile(schema);
  if (validate(body === undefined ? null : body)) return undefined;
  const err = Object.assign(new Error('invalid'), { validation: validate.errors, validationContext: 'body' }) as unknown as FastifyError;
  const e = fromValidation(err, { body, method, routeOptions: { schema: { body: schema } } } as unknown as FastifyRequest);
  return { status: e.status, type: e.type, message: e.message };
}

describe('Neutron body schemas', () => {
  it('list what the handlers and mappers accept, and what they refuse as read-only', () => {
    const sorted = (xs: readonly string[]) => [...xs].sort();
    expect(sorted(keysOf(IkePolicyCreate).allowed)).toEqual(sorted(IKE_FIELDS));
    expect(sorted(keysOf(IkePolicyUpdate).allowed)).toEqual(sorted(IKE_FIELDS.filter((k) => k !== 'tenant_id' && k !== 'project_id')));
    expect(sorted(keysOf(IpsecPolicyCreate).allowed)).toEqual(sorted(IPSEC_FIELDS));
    expect(sorted(keysOf(IpsecPolicyUpdate).allowed)).toEqual(sorted(IPSEC_FIELDS.filter((k) => k !== 'tenant_id' && k !== 'project_id')));
    expect(sorted(keysOf(ConnectionCreate).allowed)).toEqual(sorted(CONNECTION_FIELDS));
    expect(sorted(keysOf(ConnectionCreate).readOnly)).toEqual(sorted(CONNECTION_READ_ONLY));
    expect(sorted(keysOf(ConnectionUpdate).allowed)).toEqual(sorted(CONNECTION_UPDATABLE));
  });

  it('say for every attribute how Neutron answers a wrong type', () => {
    for (const [name, body] of Object.entries(BODIES)) {
      const inner = Object.values(body.properties)[0] as TObject;
      for (const [attr, s] of Object.entries(inner.properties)) expect((s as Json)[INVALID_KEY], `${name}.${attr}`).toBeTruthy();
    }
  });

  it("refuse a body in the words of Neutron's attribute layer", () => {
    const bad = (type: string, message: string, status = 400) => ({ status, type, message });
    const cases: [TObject, unknown, ReturnType<typeof bad>, ('POST' | 'PUT')?][] = [
      [NetworkCreate, undefined, bad('HTTPBadRequest', 'Resource body required')],
      [NetworkCreate, [], bad('HTTPBadRequest', 'Resource body required')],
      [IkePolicyCreate, { nothing: {} }, bad('HTTPBadRequest', "Unable to find 'ikepolicy' in request body")],
      [IkePolicyCreate, { ikepolicy: [] }, bad('HTTPBadRequest', "Object 'ikepolicy' contains invalid data")],
      [IkePolicyCreate, { ikepolicy: { bogus: 1, name: 5 } }, bad('HTTPBadRequest', "Unrecognized attribute(s) 'bogus'")],
      [IkePolicyCreate, { ikepolicy: { id: 'x', name: 5 } }, bad('HTTPBadRequest', "Attribute 'id' not allowed in POST")],
      [IkePolicyUpdate, { ikepolicy: { id: 'x', name: 5 } }, bad('HTTPBadRequest', 'Cannot update read-only attribute id'), 'PUT'],
      [IkePolicyCreate, { ikepolicy: { name: 5 } }, bad('HTTPBadRequest', "Invalid input for name. Reason: '5' is not a valid string.")],
      [IkePolicyCreate, { ikepolicy: { pfs: 5 } }, bad('HTTPBadRequest', 'Invalid input for pfs. Reason: 5 is not in valid_values.')],
      [IkePolicyCreate, { ikepolicy: { lifetime: 'x' } }, bad('HTTPBadRequest', "Invalid input for lifetime. Reason: 'x' is not a dictionary.")],
      [IkePolicyCreate, { ikepolicy: { lifetime: { value: true } } }, bad('HTTPBadRequest', "Invalid input for lifetime. Reason: 'true' is not an integer.")],
      [IkePolicyCreate, { ikepolicy: { lifetime: { units: 5 } } }, bad('HTTPBadRequest', 'Invalid input for lifetime. Reason: 5 is not in valid_values.')],
      [
        NetworkCreate,
        { network: { admin_state_up: {} } },
        bad('HTTPBadRequest', "Invalid input for admin_state_up. Reason: '{}' cannot be converted to boolean."),
      ],
      [
        NetworkCreate,
        { network: { mtu: true } },
        bad('HTTPBadRequest', "Invalid input for mtu. Reason: 'true' is not supported by this server (supported: 1500)."),
      ],
      [SubnetCreate, { subnet: { cidr: '10.0.0.0/24' } }, bad('HTTPBadRequest', "Failed to parse request. Required attribute 'network_id' not specified")],
      [SubnetCreate, { subnet: { network_id: 'x', cidr: {} } }, bad('HTTPBadRequest', "Invalid input for cidr. Reason: '{}' is not a valid IP subnet.")],
      [
        RouterCreate,
        { router: { external_gateway_info: { network_id: 'x', external_fixed_ips: [5] } } },
        bad('HTTPBadRequest', "Invalid input for external_fixed_ips. Reason: '5' is not a dictionary."),
      ],
      [RouterUpdate, { router: { routes: 5 } }, bad('HTTPBadRequest', "Invalid input for routes. Reason: '5' is not a list.")],
      [InterfaceBody, 5, bad('HTTPBadRequest', 'Bad router request: Either subnet_id or port_id must be specified.'), 'PUT'],
      [InterfaceBody, { subnet_id: 5 }, bad('HTTPBadRequest', "Invalid input for subnet_id. Reason: '5' is not a valid UUID."), 'PUT'],
      [VpnServiceCreate, { vpnservice: { router_id: 'r', flavor_id: 5 } }, bad('FlavorsPluginNotLoaded', 'Flavors plugin not found', 404)],
      [
        EndpointGroupCreate,
        { endpoint_group: { type: 'cidr', endpoints: [1] } },
        bad('HTTPBadRequest', "Invalid input for endpoints. Reason: '[1]' is not a list of strings."),
      ],
      [ConnectionCreate, { ipsec_site_connection: {} }, bad('HTTPBadRequest', "Failed to parse request. Required attribute 'peer_address' not specified")],
      [
        ConnectionUpdate,
        { ipsec_site_connection: { dpd: { interval: 1.5 } } },
        bad('HTTPBadRequest', "Invalid input for dpd. Reason: '1.5' is not a positive integer."),
        'PUT',
      ],
      [
        ConnectionUpdate,
        { ipsec_site_connection: { vpnservice_id: 'x', mtu: true } },
        bad('HTTPBadRequest', 'Cannot update read-only attribute vpnservice_id'),
        'PUT',
      ],
    ];
    for (const [schema, body, want, method] of cases) expect(refusal(schema, body, method), JSON.stringify(body)).toEqual(want);
    const cidr = refusal(ConnectionCreate, {
      ipsec_site_connection: { peer_address: 'a', peer_id: 'a', psk: 'secret', vpnservice_id: 'v', ikepolicy_id: 'i', ipsecpolicy_id: 'p', peer_cidrs: [5] },
    });
    expect(cidr).toEqual(bad('IPsecSiteConnectionPeerCidrError', 'ipsec_site_connection peer cidr 5 is invalid CIDR'));
  });

  it('let through what the OpenStack clients send: text booleans and numbers, bare strings, nulls, lifetime as text', () => {
    expect(refusal(NetworkCreate, { network: { name: null, admin_state_up: 'true', mtu: '1500', shared: 0, availability_zone_hints: null } })).toBeUndefined();
    expect(refusal(IpsecPolicyUpdate, { ipsecpolicy: { lifetime: { units: 'seconds', value: '2000' }, description: null } }, 'PUT')).toBeUndefined();
    expect(refusal(EndpointGroupCreate, { endpoint_group: { type: 'subnet', endpoints: 'b2c3' } })).toBeUndefined();
    expect(
      refusal(ConnectionCreate, {
        ipsec_site_connection: {
          peer_address: '203.0.113.7',
          peer_id: '203.0.113.7',
          psk: 'secret',
          vpnservice_id: 'v',
          ikepolicy_id: 'i',
          ipsecpolicy_id: 'p',
          peer_cidrs: '10.0.0.0/24',
          mtu: '1400',
          admin_state_up: 'True',
          dpd: { action: 'hold', interval: '30', timeout: 120 },
          name: null,
        },
      }),
    ).toBeUndefined();
  });
});

describe('the Neutron OpenAPI document', () => {
  it('documents every route: tags, summary, request body on POST/PUT, answers and the NeutronError envelope', async () => {
    const app = Fastify();
    installValidators(app);
    await app.register(swagger, { openapi: { openapi: '3.1.0', info: { title: 't', version: '0' } } });
    await app.register(async (scope) => neutronPlugin(scope, { control: {} as ControlPlane, publicUrl: 'http://x' }), { prefix: '/v2.0' });
    await app.ready();
    const paths = (app.swagger() as unknown as { paths: Record<string, Record<string, Json>> }).paths;
    const ops = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(ops.length).toBeGreaterThanOrEqual(50);
    const refusedWrites = ['post /v2.0/ports', 'put /v2.0/ports/{id}', 'delete /v2.0/ports/{id}'];
    for (const { path, method, op } of ops) {
      const what = `${method} ${path}`;
      expect(op['tags'], what).toHaveLength(1);
      expect(op['summary'], what).toBeTruthy();
      expect(Object.keys(op['responses']), what).toEqual(expect.arrayContaining(['4XX', '5XX']));
      if (!refusedWrites.includes(what))
        expect(
          Object.keys(op['responses']).some((c) => /^2\d\d$/.test(c)),
          what,
        ).toBe(true);
      if (method === 'post' || method === 'put') expect(op['requestBody']?.content?.['application/json']?.schema, what).toBeTruthy();
    }
    await app.close();
  });
});
