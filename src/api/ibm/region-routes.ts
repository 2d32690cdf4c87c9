import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { VersionQuery } from './ibm-common-schema.js';
import type { IbmDeps } from './ibm-deps.js';
import { ERRORS } from './ibm-error-schema.js';
import { ibmInvalid } from './ibm-errors.js';

const RegionRef = Type.Object({ href: Type.String(), name: Type.String() });
const RegionSchema = Type.Object({ endpoint: Type.String(), href: Type.String(), name: Type.String(), status: Type.Literal('available') });
const ZoneSchema = Type.Object({
  data_center: Type.String(),
  href: Type.String(),
  name: Type.String(),
  region: RegionRef,
  status: Type.Literal('available'),
  universal_name: Type.String(),
});

/** /regions and their zones: this server's one region (`--region`) and its zones (`--zones`), as the IBM SDKs read them. */
export function regionRoutes(fastify: FastifyInstance, d: IbmDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { refs, control } = d;
  const tags = ['Regions'];
  const region = control.settings.region;
  const regionHref = `${refs.base}/regions/${region}`;
  const regionWire = () => ({ endpoint: refs.publicUrl, href: regionHref, name: region, status: 'available' as const });
  const zoneWire = (zone: string) => ({
    data_center: zone,
    href: `${regionHref}/zones/${zone}`,
    name: zone,
    region: { href: regionHref, name: region },
    status: 'available' as const,
    universal_name: zone,
  });
  const known = (name: string): void => {
    if (name !== region)
      throw ibmInvalid('name', `Region '${name.slice(0, 80)}' was not found; this server serves region '${region}'.`, 'region_not_found', 'parameter', 404);
  };

  app.get(
    '/regions',
    {
      schema: {
        tags,
        summary: 'List regions (this server serves one)',
        querystring: VersionQuery,
        response: { 200: Type.Object({ regions: Type.Array(RegionSchema) }), ...ERRORS },
      },
    },
    async () => ({ regions: [regionWire()] }),
  );
  app.get(
    '/regions/:name',
    {
      schema: {
        tags,
        summary: 'Retrieve a region',
        params: Type.Object({ name: Type.String() }),
        querystring: VersionQuery,
        response: { 200: RegionSchema, ...ERRORS },
      },
    },
    async (req) => {
      known(req.params.name);
      return regionWire();
    },
  );
  app.get(
    '/regions/:name/zones',
    {
      schema: {
        tags,
        summary: 'List the zones of a region',
        params: Type.Object({ name: Type.String() }),
        querystring: VersionQuery,
        response: { 200: Type.Object({ zones: Type.Array(ZoneSchema) }), ...ERRORS },
      },
    },
    async (req) => {
      known(req.params.name);
      return { zones: control.settings.zones.map(zoneWire) };
    },
  );
  app.get(
    '/regions/:name/zones/:zone',
    {
      schema: {
        tags,
        summary: 'Retrieve a zone',
        params: Type.Object({ name: Type.String(), zone: Type.String() }),
        querystring: VersionQuery,
        response: { 200: ZoneSchema, ...ERRORS },
      },
    },
    async (req) => {
      known(req.params.name);
      if (!control.settings.zones.includes(req.params.zone)) {
        throw ibmInvalid('zone', `Zone '${req.params.zone.slice(0, 80)}' was not found in region '${region}'.`, 'zone_not_found', 'parameter', 404);
      }
      return zoneWire(req.params.zone);
    },
  );
}
