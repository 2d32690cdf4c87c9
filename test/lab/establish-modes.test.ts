import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../harness.js';
import {
  connectPair,
  gatewayDir,
  getConnection,
  labRuns,
  listSas,
  patchConnection,
  ping,
  startLab,
  stopLab,
  vpcGateway,
  waitStatus,
  type Connection,
  type LabGateway,
} from './lab-fixture.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** How often a gateway's charon started an IKE_SA negotiation itself. */
const initiations = (t: TestServer, gw: LabGateway): number =>
  (readFileSync(join(gatewayDir(t, gw), 'charon.log'), 'utf8').match(/initiating IKE_SA/g) ?? []).length;

/**
 * Admin state and establish mode with real charon: admin_state_up=false takes the tunnel down and
 * keeps it down although the peer keeps trying; peer_only never initiates, so two peer_only ends
 * never meet, and a peer_only end facing a bidirectional one comes up as responder only.
 */
describe.skipIf(!labRuns)('lab: admin state and establish mode', () => {
  let t: TestServer;
  let a: LabGateway;
  let b: LabGateway;
  let c: LabGateway;
  let d: LabGateway;
  let ab: [Connection, Connection];
  let cd: [Connection, Connection];

  beforeAll(async () => {
    t = await startLab('m');
    [a, b, c, d] = [
      await vpcGateway(t, '10.1.0.0/24', 'a'),
      await vpcGateway(t, '10.2.0.0/24', 'b'),
      await vpcGateway(t, '10.3.0.0/24', 'c'),
      await vpcGateway(t, '10.4.0.0/24', 'd'),
    ];
    ab = await connectPair(t, a, b);
    cd = await connectPair(t, c, d, { establish_mode: 'peer_only' });
  }, 60_000);

  afterAll(() => stopLab(t), 60_000);

  it('admin_state_up=false takes the tunnel down and keeps it down; true brings it back', async () => {
    for (const x of ab) await waitStatus(t, x, 'up', 30_000);
    await patchConnection(t, ab[0], { admin_state_up: false });
    await waitStatus(t, ab[0], 'down', 5_000);
    await waitStatus(t, ab[1], 'down', 5_000); // the peer was told (DELETE)
    await sleep(4_000); // the peer keeps initiating (bidirectional); nothing of ours answers it
    expect(await getConnection(t, ab[0])).toMatchObject({ status: 'down', status_reasons: [], admin_state_up: false });
    expect(await listSas(t, a)).toEqual([]);
    await patchConnection(t, ab[0], { admin_state_up: true });
    for (const x of ab) await waitStatus(t, x, 'up', 10_000);
    await ping(a, b);
  }, 40_000);

  it('peer_only facing peer_only: nobody initiates, it stays down', async () => {
    await sleep(3_000);
    for (const x of cd) expect((await getConnection(t, x)).status).toBe('down');
    expect([await listSas(t, c), await listSas(t, d)]).toEqual([[], []]);
    expect([initiations(t, c), initiations(t, d)]).toEqual([0, 0]);
  }, 20_000);

  it('peer_only facing bidirectional: comes up, the peer_only side only responding', async () => {
    await patchConnection(t, cd[1], { establish_mode: 'bidirectional' });
    for (const x of cd) await waitStatus(t, x, 'up', 10_000);
    await ping(c, d);
    expect(initiations(t, c)).toBe(0);
    expect(initiations(t, d)).toBeGreaterThan(0);
  }, 30_000);
});
