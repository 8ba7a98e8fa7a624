// Takes full-page screenshots of a running Daraja, for a person to look at:
//   node screenshots.mjs http://127.0.0.1:3000 OUT_DIR [email] path...
import { chromium } from 'playwright-core';
const [base, out, email, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
if (email && email !== '-') {
  await page.goto(base + '/sign-in');
  await page.locator('body[data-hydrated="true"]').waitFor();
  await page.fill('#email', email);
  await page.fill('#password', 'daraja-demo-2026');
  await page.click('button.primary');
  await page.waitForURL(base + '/');
}
for (const p of paths) {
  await page.goto(base + p);
  await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 15000 }).catch(() => {});
  const name = p.replace(/[^a-z0-9]+/gi, '_') || 'home';
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  console.log(`${out}/${name}.png`);
}
await browser.close();
