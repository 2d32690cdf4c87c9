import { Type } from 'typebox';

/** Keystone's error body (keystone/exception.py): every 4xx and 5xx under /identity/v3. */
export const KeystoneErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.Integer({ description: 'The HTTP status, repeated.' }),
      title: Type.String({ description: 'The reason phrase: Bad Request, Unauthorized, Not Found…' }),
      message: Type.String({ description: 'Every authentication failure says the same words.' }),
    }),
  },
  { description: 'Keystone error envelope.' },
);

/** Error responses every Keystone route documents. */
export const ERRORS = { '4xx': KeystoneErrorSchema, '5xx': KeystoneErrorSchema } as const;
