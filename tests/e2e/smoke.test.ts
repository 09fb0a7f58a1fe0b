/** The app loads in Chromium against server mode, under its CSP, and media traversal is refused from the page too. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../contract/transport';
import { useE2E } from '../support/e2e';

// An empty workspace: the smoke test must not depend on the demo generator.
const e2e = useE2E({ demo: 0 });
const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

e2e.test('the app loads: title, rendered root, CSP, no page errors', async ({ page, url, gotoApp, screenshot, pageErrors, consoleLog }) => {
  const response = await page.goto(url);
  expect(response!.status()).toBe(200);
  expect(response!.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  await gotoApp();
  expect(await page.title()).toMatch(/FEA Studio/);
  expect(await page.locator('#root > *').count()).toBeGreaterThan(0);
  await screenshot('smoke-app');
  expect(pageErrors).toEqual([]);
  expect(consoleLog.filter((l) => /Content Security Policy/i.test(l))).toEqual([]);
});

e2e.test('media: a real image loads under the CSP; traversal requests from the page are refused', async ({ page, gotoApp, workspaceDir }) => {
  fs.mkdirSync(path.join(workspaceDir, 'media', 'smoke'), { recursive: true });
  fs.writeFileSync(path.join(workspaceDir, 'media', 'smoke', 'pixel.png'), PNG_1x1);
  await gotoApp();

  const loaded = await page.evaluate(
    (src) =>
      new Promise<number>((resolve) => {
        const img = new Image();
        img.onload = () => resolve(img.naturalWidth);
        img.onerror = () => resolve(-1);
        img.src = src;
      }),
    '/media/smoke/pixel.png',
  );
  expect(loaded).toBe(1);

  const probes = ['/media/..%2ffea.sqlite', '/media/%2e%2e%2ffea.sqlite', '/media/%252e%252e%252ffea.sqlite', '/media/..%5cfea.sqlite', '/media/../fea.sqlite', '/media/%2fetc%2fpasswd'];
  const results = await page.evaluate(async (paths) => {
    const out: { path: string; status: number; sqlite: boolean }[] = [];
    for (const p of paths) {
      const res = await fetch(p);
      const text = await res.text();
      out.push({ path: p, status: res.status, sqlite: text.includes('SQLite format') });
    }
    return out;
  }, probes);
  for (const r of results) {
    expect([r.path, r.sqlite]).toEqual([r.path, false]);
    expect([400, 403, 404]).toContain(r.status);
  }
});
