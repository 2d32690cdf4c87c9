import { type Static, Type } from 'typebox';
import { LinkSchema, one } from './neutron-common-schema.js';

/** GET /v2.0/: the core collections, each with its URL. */
export const RootSchema = Type.Object({
  resources: Type.Array(
    Type.Object({
      name: Type.String(),
      collection: Type.String(),
      links: Type.Array(Type.Object({ href: Type.String(), rel: Type.String() })),
    }),
  ),
});

/** An API extension (clients and tempest check the aliases). */
export const ExtensionSchema = Type.Object({
  alias: Type.String(),
  name: Type.String(),
  description: Type.String(),
  updated: Type.String(),
  links: Type.Array(LinkSchema),
});
export type ExtensionWire = Static<typeof ExtensionSchema>;

export const ExtensionList = Type.Object({ extensions: Type.Array(ExtensionSchema) });
export const ExtensionOne = one('extension', ExtensionSchema);
export const AliasParams = Type.Object({ alias: Type.String() });
