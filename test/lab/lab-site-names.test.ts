import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCidr, type Cidr } from '../../src/domain/cidr.js';
import { deleteNamespace, ensureNamespace, ip, listNamespaces } from '../../src/dataplane/lab/ip-command.js';
import { createSite } from '../../src/dataplane/lab/lab-site.js';
import { LabState } from '../../src/dataplane/lab/lab-state.js';
import { labRuns } from './lab-fixture.js';

const cidr = (t: string): Cidr => (parseCidr(t) as { cidr: Cidr }).cidr;

/**
 * Site namespaces are named by the site alone (`cw-site-<name>`), so two labs on one machine (two data
 * directories, two lab internets) could pick one name. The second is refused before it touches the
 * namespace: building into it would plug the first lab's site into a second internet and start a
 * second charon beside its own.
 */
describe.runIf(labRuns)("lab: a site name another lab's site holds", () => {
  const name = `sn${process.pid % 100000}`;
  const ns = `cw-site-${name}`;
  const root = mkdtempSync(join(tmpdir(), 'cw-site-names-'));

  afterAll(async () => {
    await deleteNamespace(ns);
    rmSync(root, { recursive: true, force: true });
  });

  it('is refused with the namespace named, and neither the namespace nor this lab records change', async () => {
    await ensureNamespace(ns); // the other lab's site
    const pools = { gateways: cidr('198.51.100.0/24'), sites: cidr('203.0.113.0/24'), internetNs: `cw-inet-sn${process.pid % 100000}` };
    await expect(createSite(root, name, '192.168.77.0/24', pools)).rejects.toThrow(`namespace ${ns} already exists on this machine, made by another lab`);
    expect(await ip(['-o', 'link', 'show'], ns)).not.toMatch(/wan0|lan0/);
    expect(new LabState(root).all()).toEqual([]);
    expect(await listNamespaces()).not.toContain(pools.internetNs);
  });
});
