import { test, expect } from '@playwright/test';
import { SHOTS, hydrated, scan, signedIn } from './session';

// A methodologist moves a weight in the district league's what-if sandbox,
// saves the setting as a proposal for a new methodology version, reads
// what it changes and does, and adopts it: it becomes a stored version.
test('a what-if setting is saved as a proposal and adopted as a new version', async ({ browser }) => {
  const page = await signedIn(browser, 'methodologist@daraja.uz');
  await page.goto('/ratings/district/what-if');
  await hydrated(page);
  await page.getByLabel("Raqamli ta'lim").fill('0.5');
  await expect(page.locator('table.what-if tbody').getByText(/[▲▼]/).first()).toBeVisible();
  await page.getByLabel('Yangi versiya belgisi').fill('2027-e2e');
  await page.getByLabel('Amal qila boshlagan sana').fill('2027-01-01');
  await page.getByLabel('Nega (fayl sarlavhasiga yoziladi)').fill("Ta'lim boshqa yo'nalishlarda ham hisobga olinadi.");
  await page.getByRole('button', { name: 'Taklifni saqlash' }).click();
  const saved = page.locator('section.propose [role=status]');
  await expect(saved).toContainText('Taklif saqlandi');
  await page.locator('section.propose').screenshot({ path: `${SHOTS}/what-if-propose.png` });
  await scan(page, 'what-if with the proposal form');
  await saved.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('v2027-e2e');
  await hydrated(page);
  await expect(page.getByText('EDU: weight 1 → 0.5')).toBeVisible();
  await expect(page.locator('table.movers tbody tr').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/proposal.png`, fullPage: true });
  await scan(page, 'proposal page');
  await page.getByLabel('Sabab').fill("Hay'at qarori, 2026-12-01");
  await page.getByRole('button', { name: 'Qarorni saqlash' }).click();
  await expect(page.locator('.facts .pill.status-adopted')).toBeVisible();
  await page.getByRole('link', { name: 'nis-districts@2027-e2e' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('v2027-e2e');
  await expect(page.getByText('EDU: weight 1 → 0.5')).toBeVisible();
  // The public never sees proposals.
  const anon = await (await browser.newContext()).newPage();
  await anon.goto('/proposals');
  await expect(anon.getByRole('heading', { level: 1 })).toHaveText('Xatolik');
  await expect(anon.getByRole('main').getByRole('link', { name: 'Kirish' })).toBeVisible();
  await expect(anon.locator('table.proposals')).toHaveCount(0);
  // Ministry staff read the list.
  await page.goto('/proposals');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Metodika takliflari');
  await expect(page.locator('table.proposals .pill.status-adopted')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/proposals.png` });
});
