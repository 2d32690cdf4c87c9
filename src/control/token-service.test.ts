import { describe, expect, it } from 'vitest';
import type { Account } from '../domain/tenancy.js';
import { hashApiKey } from './create-account.js';
import { TokenService } from './token-service.js';

describe('TokenService.accountOfApiKey', () => {
  const alice: Account = { id: 'a1', name: 'alice', isAdmin: false, createdAt: 0 };
  const tokens = new TokenService(
    {
      account: async () => undefined,
      accountByKeyHash: async (h) => (h === hashApiKey('cw_alice') ? alice : undefined),
      user: async () => undefined,
    },
    Buffer.alloc(32, 1),
  );

  it('finds the account of a key by its hash, and nothing for another key', async () => {
    expect(await tokens.accountOfApiKey('cw_alice')).toEqual(alice);
    expect(await tokens.accountOfApiKey('cw_bob')).toBeUndefined();
    expect(await tokens.accountOfApiKey('')).toBeUndefined();
  });
});
