import { randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX32 = /^[0-9a-f]{32}$/;

/** Every resource id is a lowercase dashed UUIDv4, the same in every dialect. */
export function newId(): string {
  return randomUUID();
}

/** Accepts a UUID with or without dashes, any case; returns the canonical dashed form or undefined. */
export function parseId(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.toLowerCase();
  if (UUID.test(t)) return t;
  if (HEX32.test(t)) return `${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`;
  return undefined;
}

/** Tenancy ids (accounts, resource groups) are shown as 32 lowercase hex digits. */
export function toHex32(id: string): string {
  return id.replace(/-/g, '');
}
