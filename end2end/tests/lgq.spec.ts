import { test, expect, Page } from '@playwright/test';
import { SHOTS, hydrated, signedIn } from './session';

// Tashkent city answers the UN Local Government Questionnaire: every kind
// of control the form has for it (link, explanation, yes/no, legal act,
// checklist, percentage) saves itself and comes back after a reload.
const field = (page: Page, code: string) => page.locator(`.field[data-code="${code}"]`);
const control = (page: Page, code: string) => page.locator(`#in-${code.replace(/\./g, '\\.')}`);

async function state(page: Page, code: string, want: string) {
  await expect(field(page, code)).toHaveAttribute('data-save-state', want);
}

async function openLgq(page: Page) {
  await page.goto('/');
  await page.locator('.my-work ul.due a').first().click();
  await expect(page).toHaveURL(/\/submissions\/\d+$/);
  await hydrated(page);
  await expect(page.locator('h1')).toContainText('Toshkent');
}

test('the LGQ form takes every kind of answer and keeps it', async ({ browser }) => {
  const page = await signedIn(browser, 'tashkent@daraja.uz');
  await openLgq(page);
  // A link: a bad one is refused by name, a good one saves.
  await control(page, 'S1.Q1').fill('tashkent portal');
  await state(page, 'S1.Q1', 'failed');
  await control(page, 'S1.Q1').fill('https://tashkent.uz');
  await state(page, 'S1.Q1', 'saved');
  // An explanation (kept, never scored).
  await control(page, 'S1.Q1_other').fill('One portal: tashkent.uz, with the city services.');
  await state(page, 'S1.Q1_other', 'saved');
  // Yes/no.
  await field(page, 'S1.Q3').locator('input[value=yes]').check();
  await state(page, 'S1.Q3', 'saved');
  // A legal act: saved once type, number, date and link are all there.
  const act = control(page, 'S2.Q1a_act');
  await act.locator('.act-type').fill('Presidential Decree');
  await act.locator('.act-number').fill('PF-6079');
  await act.locator('.act-date').fill('2020-10-05');
  await state(page, 'S2.Q1a_act', 'incomplete');
  await act.locator('.act-link').fill('https://lex.uz/docs/5030957');
  await state(page, 'S2.Q1a_act', 'saved');
  // A checklist: whichever apply.
  const list = control(page, 'S3.Q2');
  await list.locator('input[value=plan]').check();
  await state(page, 'S3.Q2', 'saved');
  await list.locator('input[value=sdg]').check();
  await state(page, 'S3.Q2', 'saved');
  // A percentage written the local way.
  await control(page, 'S3.Q3_pct').fill('4,5 %');
  await state(page, 'S3.Q3_pct', 'saved');
  await page.screenshot({ path: `${SHOTS}/form-lgq.png`, fullPage: false });

  await page.reload();
  await hydrated(page);
  await expect(control(page, 'S1.Q1')).toHaveValue('https://tashkent.uz');
  await expect(control(page, 'S1.Q1_other')).toHaveValue(/One portal/);
  await expect(field(page, 'S1.Q3').locator('input[value=yes]')).toBeChecked();
  await expect(act.locator('.act-number')).toHaveValue('PF-6079');
  await expect(act.locator('.act-date')).toHaveValue('2020-10-05');
  await expect(list.locator('input[value=plan]')).toBeChecked();
  await expect(list.locator('input[value=sdg]')).toBeChecked();
  await expect(list.locator('input[value=national_dev]')).not.toBeChecked();
  await expect(control(page, 'S3.Q3_pct')).toHaveValue('4,5');
});
