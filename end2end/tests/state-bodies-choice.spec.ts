import { test, expect } from '@playwright/test';
import { SHOTS, hydrated, signedIn } from './session';

// A manager creates and opens a state-body round under NIS.UZ v2022 for one
// agency; its CDO answers the "official website" choice, which saves
// itself and survives a reload. (Runs after results.spec: the demo's 2024
// state-body round there is left alone.)
test('a new state-body round is opened and its CDO answers a choice', async ({ browser }) => {
  const admin = await signedIn(browser, 'admin@daraja.uz');
  await admin.goto('/campaigns');
  await hydrated(admin);
  await admin.getByText('Yangi baholash bosqichi').click();
  await admin.getByLabel('Kod', { exact: true }).fill('2026-state-bodies-e2e');
  await admin.getByLabel('Davr').fill('2026');
  await admin.getByLabel('Turi').selectOption('state_body');
  await admin.getByLabel('Metodika versiyasi').selectOption('nis-bodies@2022');
  await admin.getByLabel('Nomi (oʻzbekcha)').fill('2026-yil davlat organlari (sinov)');
  await admin.getByLabel('Номи (ўзбекча)').fill('2026 йил давлат органлари (синов)');
  await admin.getByLabel('Название (русский)').fill('Государственные органы 2026 (проверка)');
  await admin.getByLabel('Name (English)').fill('State bodies 2026 (test)');
  await admin.getByLabel('Ochilish sanasi').fill('2026-01-01');
  await admin.getByLabel('Muddat', { exact: true }).fill('2027-12-01');
  await admin.getByLabel('Tekshiruv muddati').fill('2027-12-15');
  await admin.getByLabel('Apellyatsiya muddati').fill('2027-12-31');
  await admin.locator('input[name="form[pick]"][value=codes]').check();
  await admin.locator('textarea[name="form[codes]"]').fill('statistics-agency');
  await admin.getByRole('button', { name: 'Qoralama yaratish' }).click();
  // The new draft's own page.
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('2026-yil davlat organlari (sinov)');
  await hydrated(admin);
  await admin.locator('button[data-next=open]').click();
  await expect(admin.locator('button[data-next=closed]')).toBeVisible();

  const cdo = await signedIn(browser, 'cdo@daraja.uz');
  await cdo.locator('.my-work ul.due a', { hasText: '2026' }).first().click();
  await expect(cdo).toHaveURL(/\/submissions\/\d+$/);
  await hydrated(cdo);
  const website = cdo.locator('.field[data-code="OPEN.website"]');
  // Last round's answer reads as the option's name, not its code.
  await expect(website.locator('.previous strong')).toHaveText("Sayt yo'q");
  await website.locator('select').selectOption('partial');
  await expect(website).toHaveAttribute('data-save-state', 'saved');
  await website.screenshot({ path: `${SHOTS}/form-choice.png` });
  await cdo.reload();
  await hydrated(cdo);
  await expect(website.locator('select')).toHaveValue('partial');
  await website.locator('select').selectOption('full');
  await expect(website).toHaveAttribute('data-save-state', 'saved');
  await cdo.reload();
  await hydrated(cdo);
  await expect(website.locator('select')).toHaveValue('full');
});
