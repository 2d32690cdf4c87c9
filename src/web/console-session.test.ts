import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { cookieOf, csrfMatches, csrfOf, setSessionCookie } from './console-session.js';

const req = (o: { cookie?: string; protocol?: string }) =>
  ({ headers: o.cookie ? { cookie: o.cookie } : {}, protocol: o.protocol ?? 'http' }) as unknown as FastifyRequest;

function cookieSet(r: FastifyRequest, publicUrl: string): string {
  let set = '';
  const reply = { header: (_k: string, v: string) => ((set = v), reply) } as unknown as FastifyReply;
  setSessionCookie(r, reply, publicUrl, 'tok', 60);
  return set;
}

describe('console session', () => {
  it('reads one cookie among several', () => {
    expect(cookieOf(req({ cookie: 'a=1; cw_console=abc.def; b=2' }), 'cw_console')).toBe('abc.def');
    expect(cookieOf(req({ cookie: 'xcw_console=1' }), 'cw_console')).toBeUndefined();
    expect(cookieOf(req({}), 'cw_console')).toBeUndefined();
  });

  it('derives one CSRF token per session token and checks it exactly', () => {
    const s = { actor: { accountId: 'a', isAdmin: false }, token: 't1', csrf: csrfOf('t1') };
    expect(csrfOf('t1')).not.toBe(csrfOf('t2'));
    expect(csrfMatches(s, csrfOf('t1'))).toBe(true);
    expect(csrfMatches(s, csrfOf('t2'))).toBe(false);
    expect(csrfMatches(s, undefined)).toBe(false);
    expect(csrfMatches(s, [csrfOf('t1')])).toBe(false);
  });

  it('marks the cookie Secure when the console is served over https', () => {
    expect(cookieSet(req({}), 'http://127.0.0.1:8080')).toBe('cw_console=tok; Path=/console; HttpOnly; SameSite=Strict; Max-Age=60');
    expect(cookieSet(req({}), 'https://vpn.example.com')).toMatch(/; Secure$/);
    expect(cookieSet(req({ protocol: 'https' }), 'http://127.0.0.1:8080')).toMatch(/; Secure$/);
  });
});
