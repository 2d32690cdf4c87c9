import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/control/index.js';
import { labDown } from '../../src/dataplane/lab/lab-teardown.js';
import { startTestServer, type TestServer } from '../harness.js';
import { labCli, labInternet, labRuns } from './lab-fixture.js';

const TAG = 'con';
const SITE = `consite${process.pid}`.slice(0, 20);
const LAN = '192.168.78.0/24';
const SHOTS = resolve('.tmp');
const CHROMIUM = '/usr/bin/chromium';

/**
 * The web console in Debian's chromium (playwright-core, no browser download), keyboard only: sign in,
 * create a VPC gateway and a connection to a lab site, watch its status turn `up` without a reload
 * (pushed over SSE), open its timeline, download its peer configuration. Any console error, page error
 * or CSP violation fails the test. Screenshots go to .tmp/console-*.png.
 */
describe.skipIf(!labRuns)('lab: the web console in a real browser', () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let apiKey: string;
  const problems: string[] = [];
  const cli = (args: string[]): Promise<string> => labCli(t, TAG, args);

  /** Presses Tab until `selector` has the focus (as a keyboard user would), at most `max` times. */
  async function tabTo(selector: string, max = 40): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  /** Tabs to a field and types into it. */
  async function fill(selector: string, value: string): Promise<void> {
    await tabTo(selector);
    await page.keyboard.type(value);
  }

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), 'Debian chromium (scripts/install-debian-deps.sh --test installs it)').toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestServer({ dataplane: 'lab', labInternet: labInternet(TAG) }, { listen: true });
    const account = await t.server.control.accounts.create(SYSTEM_ACTOR, 'console-e2e');
    apiKey = account.apiKey;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 1200, height: 820 }, acceptDownloads: true });
    await context.exposeFunction('cwCspViolation', (v: string) => problems.push(`CSP violation: ${v}`));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { cwCspViolation(v: string): void }).cwCspViolation(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (!t) return;
    t.server.agent?.stop();
    await t.server.agent?.idle();
    await labDown(join(t.dataDir, 'lab'));
    await t.close();
  }, 60_000);

  it('signs in, creates a gateway and a connection, sees it come up live, opens its timeline and downloads its peer config', async () => {
    await page.goto(`${t.server.url}/console`);
    expect(page.url()).toMatch(/\/console\/sign-in$/);
    // The skip link comes first and shows where the focus is.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await fill('#apikey', apiKey);
    await Promise.all([page.waitForURL(/\/console\/gateways$/), page.keyboard.press('Enter')]);

    // A VPC and its subnet, then the gateway on it.
    await tabTo('a[href="/console/gateways/new"]:not(nav a)');
    await Promise.all([page.waitForURL(/\/console\/gateways\/new$/), page.keyboard.press('Enter')]);
    await tabTo('a[href="/console/vpcs/new"]');
    await Promise.all([page.waitForURL(/\/console\/vpcs\/new$/), page.keyboard.press('Enter')]);
    await fill('#vpc_name', 'con-vpc');
    await fill('#subnet_name', 'con-subnet');
    await fill('#subnet_cidr', '10.78.0.0/24');
    await Promise.all([page.waitForURL(/\/console\/gateways\/new$/), page.keyboard.press('Enter')]);
    await fill('#name', 'con-gateway');
    await Promise.all([page.waitForURL(/\/console\/gateways(#.*)?$/), page.keyboard.press('Enter')]);
    await expect.poll(() => page.locator('h2', { hasText: 'con-gateway' }).count()).toBe(1);
    const gwIp = await page.locator('.members li').first().innerText();
    expect(gwIp).toMatch(/Member 1: active, public IP 198\.51\.100\.\d+/);

    // An IKE and an IPsec policy, with the forms' defaults.
    await tabTo('nav a[href="/console/policies"]');
    await Promise.all([page.waitForURL(/\/console\/policies$/), page.keyboard.press('Enter')]);
    await tabTo('a[href="/console/ike-policies/new"]');
    await Promise.all([page.waitForURL(/\/ike-policies\/new$/), page.keyboard.press('Enter')]);
    await fill('#name', 'con-ike');
    await Promise.all([page.waitForURL(/\/console\/policies$/), page.keyboard.press('Enter')]);
    await tabTo('a[href="/console/ipsec-policies/new"]');
    await Promise.all([page.waitForURL(/\/ipsec-policies\/new$/), page.keyboard.press('Enter')]);
    await fill('#name', 'con-esp');
    await Promise.all([page.waitForURL(/\/console\/policies$/), page.keyboard.press('Enter')]);
    expect(await page.locator('td', { hasText: 'con-esp' }).count()).toBe(1);

    // The connection to a lab site, with those policies (picked by typing in the select, as the keyboard does).
    const siteIp = (await cli(['lab', 'site', 'create', SITE, '--lan', LAN])).trim().split('\n').pop()!;
    expect(siteIp).toMatch(/^203\.0\.113\.\d+$/);
    await tabTo('nav a[href="/console/gateways"]');
    await Promise.all([page.waitForURL(/\/console\/gateways$/), page.keyboard.press('Enter')]);
    await tabTo('a[href$="/connections/new"]');
    await Promise.all([page.waitForURL(/\/connections\/new$/), page.keyboard.press('Enter')]);
    await fill('#name', 'con-branch');
    await fill('#peer_address', siteIp);
    await fill('#psk', 'Console-lab-psk-1');
    await fill('#local_cidrs', '10.78.0.0/24');
    await fill('#peer_cidrs', LAN);
    await fill('#ike_policy', 'con-ike');
    await fill('#ipsec_policy', 'con-esp');
    expect(await page.locator('#ike_policy option:checked').innerText()).toBe('con-ike');
    expect(await page.locator('#ipsec_policy option:checked').innerText()).toBe('con-esp');
    await tabTo('form button[type="submit"]:not(nav button)');
    await Promise.all([page.waitForURL(/\/connections\/[0-9a-f-]{36}$/), page.keyboard.press('Enter')]);
    const connectionId = page.url().split('/').pop()!;
    const status = page.locator('dd[sse-swap] .status');
    await expect.poll(() => status.getAttribute('data-status')).toBe('down');

    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    const t0 = Date.now();
    expect(await cli(['lab', 'site', 'connect', SITE, '--connection', connectionId])).toMatch(/now answers connection/);
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 60_000, interval: 100 }).toBe('up');
    console.log(`console: status up in the browser ${Date.now() - t0} ms after lab site connect, with ${navigations} page loads`);
    expect(navigations).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'console-connection.png'), fullPage: true });

    await tabTo('a[href="/console/gateways"]:not(nav a), a[href^="/console/gateways#"]');
    await Promise.all([page.waitForURL(/\/console\/gateways(#.*)?$/), page.keyboard.press('Enter')]);
    await expect.poll(() => page.locator('td[sse-swap] .status').getAttribute('data-status')).toBe('up');
    await page.screenshot({ path: join(SHOTS, 'console-gateways.png'), fullPage: true });

    await tabTo('a[href$="/connections/' + connectionId + '"]');
    await Promise.all([page.waitForURL(new RegExp(`${connectionId}$`)), page.keyboard.press('Enter')]);
    await tabTo('a[href$="/events"]');
    await Promise.all([page.waitForURL(/\/events$/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').innerText()).toBe('Events of con-branch');
    const timeline = await page.locator('ol.timeline').innerText();
    expect(timeline).toContain('created');
    expect(timeline).toContain('applied');
    expect(timeline).toContain('child_sa_up');
    expect(timeline).toContain('Cause: user console-e2e via console');
    await page.screenshot({ path: join(SHOTS, 'console-timeline.png'), fullPage: true });

    await page.goBack();
    await tabTo('form[action$="/peer-config"] button');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('con-branch-swanctl.conf');
    const conf = readFileSync((await download.path())!, 'utf8');
    expect(conf).toContain(`local_ts = ${LAN}`);
    expect(conf).toContain('remote_ts = 10.78.0.0/24');

    expect(problems).toEqual([]);
  }, 180_000);
});
