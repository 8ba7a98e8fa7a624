import { test, expect } from '@playwright/test';
import { SHOTS, hydrated, signedIn } from './session';

// An admin issues an integration token on /admin/tokens, a feed pushes a
// district's values with it (dry run, then for real), the admin revokes
// it and the feed is refused; anyone reads the API reference.
const DISTRICT = '1710240'; // a district of the demo's open 2024 round

test('an admin issues a token, a feed pushes with it, the admin revokes it', async ({ browser }) => {
  const page = await signedIn(browser, 'admin@daraja.uz');
  await page.goto('/admin/tokens');
  await hydrated(page);
  const form = page.locator('form').filter({ has: page.locator('input[name=source_system]') });
  if (!(await form.isVisible())) await page.locator('details.card summary').first().click();
  await form.locator('input[name=name]').fill('Browser test feed');
  await form.locator('input[name=source_system]').fill('e2e.stat.uz');
  await form.locator('textarea[name=indicators]').fill('INFRA.fibre_km, INFRA.public_wifi');
  await form.locator('textarea[name=entities]').fill(DISTRICT);
  const lastDay = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
  await form.locator('input[name=expires_on]').fill(lastDay);
  await form.locator('textarea[name=locked_indicators]').fill('INFRA.fibre_km');
  await form.locator('button[type=submit]').click();
  const secret = page.locator('[data-testid=token-secret]');
  await expect(secret).toHaveText(/^drj_[0-9a-f]{64}$/);
  const token = (await secret.textContent())!.trim();
  const row = page.locator('table.tokens tr', { hasText: 'e2e.stat.uz' });
  await expect(row).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/admin-tokens.png`, fullPage: true });

  const push = (dryRun: boolean, values: object[]) =>
    page.request.post(`/api/v1/values${dryRun ? '?dryRun=true' : ''}`, {
      headers: { authorization: `Bearer ${token}` },
      data: { campaign: '2024-districts', entity: DISTRICT, values },
    });
  const dry = await push(true, [{ indicator: 'INFRA.fibre_km', value: 42.5 }]);
  expect(dry.status()).toBe(200);
  expect((await dry.json()).applied).toBe(false);
  const refused = await push(false, [{ indicator: 'ECON.cashless', value: 40 }]);
  expect(refused.status()).toBe(422);
  expect((await refused.json()).errors[0].pointer).toBe('/values/0/indicator');
  const written = await push(false, [{ indicator: 'INFRA.fibre_km', value: 42.5 }]);
  expect(written.status()).toBe(200);
  expect((await written.json()).applied).toBe(true);

  // The audit log names the feed.
  await page.goto('/admin/audit');
  await expect(page.getByText(/feed:e2e\.stat\.uz#\d+/).first()).toBeVisible();

  await page.goto('/admin/tokens');
  await hydrated(page);
  await page.locator('table.tokens tr', { hasText: 'e2e.stat.uz' }).locator('button[type=submit]').click();
  await expect(page.locator('table.tokens tr', { hasText: 'e2e.stat.uz' }).locator('button')).toHaveCount(0);
  const after = await push(true, [{ indicator: 'INFRA.fibre_km', value: 43 }]);
  expect(after.status()).toBe(401);
  expect((await after.json()).detail).toContain('revoked');
});

test('the API reference lists the operations and their schemas', async ({ page }) => {
  await page.goto('/developers');
  await expect(page.locator('details.api-op', { hasText: '/api/v1/values' })).toBeVisible();
  await page.locator('details.api-op', { hasText: '/api/v1/values' }).locator('summary').click();
  await expect(page.locator('details.api-op', { hasText: '/api/v1/values' })).toContainText('Idempotency-Key');
  await expect(page.locator('#schema-FeedPush')).toHaveCount(1);
  const doc = await page.request.get('/api/openapi.json');
  expect((await doc.json()).openapi).toBe('3.1.0');
  await page.screenshot({ path: `${SHOTS}/developers.png` });
});
