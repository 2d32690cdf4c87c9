import { Type } from 'typebox';

/** One version of the Identity API (keystoneauth reads `id`, `status` and the self link). */
export const VersionSchema = Type.Object({
  id: Type.String({ description: 'v3.14' }),
  status: Type.String({ description: 'stable' }),
  updated: Type.String(),
  links: Type.Array(Type.Object({ rel: Type.String(), href: Type.String({ description: 'keystoneauth posts to this + auth/tokens.' }) })),
  'media-types': Type.Array(Type.Object({ base: Type.String(), type: Type.String() })),
});

/** GET /identity: 300 Multiple Choices with the list. */
export const VersionsDocument = Type.Object({ versions: Type.Object({ values: Type.Array(VersionSchema) }) });

/** GET /identity/v3: 200 with the one version. */
export const VersionDocument = Type.Object({ version: VersionSchema });
