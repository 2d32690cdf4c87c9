import { Type } from 'typebox';

export const ErrorEnvelope = Type.Object(
  {
    errors: Type.Array(
      Type.Object({
        code: Type.String(),
        message: Type.String(),
        more_info: Type.Optional(Type.String()),
        target: Type.Optional(Type.Object({ type: Type.String(), name: Type.String(), value: Type.Optional(Type.Unknown()) })),
      }),
    ),
    trace: Type.String(),
    status_code: Type.Integer(),
  },
  { description: 'IBM error envelope.' },
);

/** Error responses every route documents. */
export const ERRORS = { '4xx': ErrorEnvelope, '5xx': ErrorEnvelope } as const;
