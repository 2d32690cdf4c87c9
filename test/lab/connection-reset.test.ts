import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../harness.js';
import { connectPair, labRuns, ping, saOf, startLab, stopLab, vpcGateway, waitStatus, type Connection, type LabGateway } from './lab-fixture.js';

/**
 * The native reset (`POST /v1/vpn_gateways/{gw}/connections/{id}/reset`, a Causeway extension that
 * cloud.ca's `?operation=reset` and Huawei's `…/reset` share): the tunnel comes back on new SAs
 * (a new IKE_SA unique id), keeps its configuration and ETag, and carries traffic again.
 */
describe.skipIf(!labRuns)('lab: resetting a connection replaces its SAs', () => {
  let t: TestServer;
  let a: LabGateway;
  let b: LabGateway;
  let ab: Connection;

  beforeAll(async () => {
    t = await startLab('r');
    a = await vpcGateway(t, '10.71.0.0/24', 'a');
    b = await vpcGateway(t, '10.72.0.0/24', 'b');
    [ab] = await connectPair(t, a, b);
  }, 60_000);

  afterAll(async () => {
    await stopLab(t);
  }, 60_000);

  it('comes back on a new IKE_SA with the same revision, and pings through', async () => {
    await waitStatus(t, ab, 'up', 30_000);
    await ping(a, b);
    const before = await saOf(t, ab);
    expect(before).toBeDefined();
    const etag = (await t.call('GET', `/v1/vpn_gateways/${a.id}/connections/${ab.id}`)).headers['etag'];
    const r = await t.call('POST', `/v1/vpn_gateways/${a.id}/connections/${ab.id}/reset`);
    expect(r.statusCode, r.body).toBe(202);
    expect(r.json().id).toBe(ab.id);
    expect(r.headers['etag']).toBe(etag);
    await expect
      .poll(async () => (await saOf(t, ab))?.ike['uniqueid'], { timeout: 30_000, interval: 200 })
      .not.toMatch(new RegExp(`^(${String(before!.ike['uniqueid'])})?$`));
    await waitStatus(t, ab, 'up', 30_000);
    await ping(a, b);
  }, 90_000);

  it('answers 404 for a connection of another account', async () => {
    const other = await t.account('other-r');
    const r = await t.call('POST', `/v1/vpn_gateways/${a.id}/connections/${ab.id}/reset`, { token: other });
    expect(r.statusCode).toBe(404);
  });
});
