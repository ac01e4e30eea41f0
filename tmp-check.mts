import { mkdirSync } from 'node:fs';
import { openApp } from './tests/e2e/server.ts';
mkdirSync('/tmp/shots', { recursive: true });
const app = await openApp({ viewport: { width: 1400, height: 900 } });
const { page } = app;
try {
  await page.goto(app.preview.url);
  await page.locator('.gl-canvas').waitFor();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open', exact: true }).click()]);
  await chooser.setFiles('examples/ddpm-mnist-cond.json');
  await page.locator('.react-flow__node').first().waitFor();
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('.gl-training')?.getAttribute('data-step') === '1', null, { timeout: 300_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="samples"]')?.getAttribute('data-sample-step') === '1', null, { timeout: 300_000 });
  console.log('stepped + sampled in', (Date.now() - t0) / 1000, 's');
  await page.screenshot({ path: '/tmp/shots/c1.png' });
  const sched = page.locator('.react-flow__node', { hasText: 'Noise schedule' }).first();
  await sched.click();
  await page.locator('#param-guidance').fill('0');
  const t1 = Date.now();
  await page.locator('#param-guidance').press('Enter');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/shots/c2.png' });
  await page.waitForFunction(() => /Resampled at step/.test(document.querySelector('[data-testid="train-notice"]')?.textContent ?? ''), null, { timeout: 300_000 });
  console.log('resampled in', (Date.now() - t1) / 1000, 's');
  await page.waitForTimeout(3000);
  await page.screenshot({ path: '/tmp/shots/c3.png' });
  console.log('errors', app.errors);
} finally {
  await app.close();
}
