import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TokenService } from '../../control/token-service.js';
import { parseJsonBody } from '../body-parsers.js';

export const APIKEY_GRANT = 'urn:ibm:params:oauth:grant-type:apikey';

const TokenResponse = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.String(),
  expires_in: Type.Integer(),
  expiration: Type.Integer(),
  scope: Type.String(),
});
const IamError = Type.Object({
  errorCode: Type.String(),
  errorMessage: Type.String(),
  context: Type.Object({ requestId: Type.String() }),
});

/**
 * An IAM-compatible token endpoint, so IBM's SDK authenticators work with their URL pointed here:
 * form fields grant_type=urn:ibm:params:oauth:grant-type:apikey and apikey=… (JSON is accepted too).
 * Errors use IAM's own shape.
 */
export async function iamPlugin(app: FastifyInstance, opts: { tokens: TokenService }): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    try {
      const ct = String(req.headers['content-type'] ?? '');
      done(null, ct.includes('json') ? parseJsonBody(text) : Object.fromEntries(new URLSearchParams(text)));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  const fail = (reqId: string, code: string, message: string) => ({ errorCode: code, errorMessage: message, context: { requestId: reqId } });
  app.setErrorHandler((err, req, reply) => reply.code(400).send(fail(req.id, 'BXNIM0109E', `The request could not be read: ${err instanceof Error ? err.message : String(err)}`)));

  app.post('/token', {
    schema: {
      tags: ['Identity'], summary: 'Exchange an API key for an access token (IAM-compatible)',
      consumes: ['application/x-www-form-urlencoded', 'application/json'],
      response: { 200: TokenResponse, 400: IamError },
    },
  }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const grant = body['grant_type'];
    const apikey = body['apikey'];
    if (grant !== APIKEY_GRANT) {
      return reply.code(400).send(fail(req.id, 'BXNIM0103E', `Unsupported grant_type; use ${APIKEY_GRANT}.`));
    }
    if (typeof apikey !== 'string' || apikey.length === 0) {
      return reply.code(400).send(fail(req.id, 'BXNIM0104E', 'The apikey form field is missing.'));
    }
    const t = await opts.tokens.issue(apikey);
    if (!t) return reply.code(400).send(fail(req.id, 'BXNIM0415E', 'Provided API key could not be found.'));
    return {
      access_token: t.accessToken,
      refresh_token: 'not_supported',
      token_type: 'Bearer',
      expires_in: t.expiresIn,
      expiration: t.expiration,
      scope: 'ibm openid',
    };
  });
}
