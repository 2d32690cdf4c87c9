import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/tenancy.js';

/** The cookie that holds the signed-in user's access token (HttpOnly: no script reads it). */
export const SESSION_COOKIE = 'cw_console';
/** The form field, or header, that carries the per-session CSRF token on every POST. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The console's state of one request: who is signed in, with which token, and the session's CSRF token. */
export interface ConsoleSession {
  readonly actor: Actor;
  readonly token: string;
  readonly csrf: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    console?: ConsoleSession;
  }
}

/** One cookie's value from the Cookie header, or undefined. */
export function cookieOf(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * The CSRF token of a session: derived from its access token, so it needs no server state and is
 * known only to who holds the token (the cookie is HttpOnly and SameSite=Strict on top of this).
 */
export function csrfOf(token: string): string {
  return createHash('sha256').update(`causeway-console-csrf\0${token}`).digest('base64url');
}

export function csrfMatches(session: ConsoleSession, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(req: FastifyRequest, publicUrl: string, value: string, maxAge: number): string {
  const secure = req.protocol === 'https' || publicUrl.startsWith('https:');
  return `${SESSION_COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, publicUrl: string, token: string, maxAge: number): void {
  void reply.header('set-cookie', cookie(req, publicUrl, token, maxAge));
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply, publicUrl: string): void {
  void reply.header('set-cookie', cookie(req, publicUrl, '', 0));
}
