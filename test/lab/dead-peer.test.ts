import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../harness.js';
import {
  charonPid,
  connect,
  gatewayDir,
  getConnection,
  labInternet,
  labRuns,
  ping,
  startAgent,
  startLab,
  stopLab,
  vpcGateway,
  waitReason,
  waitStatus,
  type Connection,
  type LabGateway,
} from './lab-fixture.js';

const DPD = { action: 'restart', interval: 2, timeout: 6 } as const;

/**
 * Dead peer detection with real charon. The peer gateway lives on a second Causeway server (its own
 * data directory, store and agent) on the same lab internet, like a device at another site, so it
 * can die and stay dead: its agent is stopped and its charon SIGKILLed by PID, so nothing says
 * goodbye and nothing restarts it. Our side must notice through DPD alone. The peer's connection is
 * peer_only, so when the peer comes back (a new agent restarts its charon and reloads its
 * connection) only our DPD action `restart` can bring the tunnel up again.
 */
describe.skipIf(!labRuns)('lab: peer killed → down within the DPD timeout; back → up', () => {
  let us: TestServer;
  let peer: TestServer;
  let a: LabGateway;
  let b: LabGateway;
  let ours: Connection;
  let theirs: Connection;

  beforeAll(async () => {
    us = await startLab('d', { publicPool: '198.51.100.0/25' });
    peer = await startLab('d', { publicPool: '198.51.100.128/25' });
    a = await vpcGateway(us, '10.1.0.0/24', 'a');
    b = await vpcGateway(peer, '10.2.0.0/24', 'b');
    ours = await connect(us, a, b, { dead_peer_detection: DPD });
    theirs = await connect(peer, b, a, { dead_peer_detection: DPD, establish_mode: 'peer_only' });
  }, 60_000);

  afterAll(async () => {
    await stopLab(peer);
    await stopLab(us);
  }, 60_000);

  it('comes up; our charon runs the DPD timeout as its IKEv2 retransmit schedule', async () => {
    await waitStatus(us, ours, 'up', 30_000);
    await waitStatus(peer, theirs, 'up', 30_000);
    await ping(a, b);
    // Probe after 2 s of silence, then give up 6 − 2 = 4 s later: 5 retransmits 0.667 s apart, base 1
    // (domain: desiredGatewayState), applied to the running charon by reload-settings.
    expect(readFileSync(join(gatewayDir(us, a), 'strongswan.conf'), 'utf8')).toMatch(
      /retransmit_timeout = 0\.667\s+retransmit_base = 1\s+retransmit_tries = 5\b/,
    );
  }, 40_000);

  it('goes down within the DPD timeout once the peer dies, saying the peer does not respond', async () => {
    peer.server.agent!.stop();
    const pid = charonPid(peer, b);
    process.kill(pid, 'SIGKILL');
    const took = await waitStatus(us, ours, 'down', 15_000);
    // charon checks liveness in whole seconds, and the status takes a refresh and a poll to show: 1.5 s of slack.
    expect(took).toBeLessThan((DPD.timeout + 1.5) * 1000);
    await waitReason(us, ours, 'peer_not_responding', 2_000);
  }, 30_000);

  it('comes back up when the peer is back, by our restart action', async () => {
    await startAgent(peer, labInternet('d'));
    await waitStatus(us, ours, 'up', 20_000);
    await waitStatus(peer, theirs, 'up', 5_000);
    expect((await getConnection(us, ours)).status_reasons).toEqual([]);
    await ping(a, b);
  }, 30_000);
});
