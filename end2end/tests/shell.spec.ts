import { test, expect, Page } from '@playwright/test';
import { execFileSync } from 'child_process';

const PASSWORD = 'daraja-demo-2026';
// Kept apart from test-results/, which Playwright empties at every run.
const SHOTS = 'screenshots';

// Each demo role lands on a home page that tells it what to do next.
const roles: Array<[string, string, RegExp]> = [
  ['admin@daraja.uz', 'admin', /Foydalanuvchilarni taklif qiling/],
  ['methodologist@daraja.uz', 'methodologist', /Metodika versiyalarini/],
  ['reviewer@daraja.uz', 'reviewer', /ko'rib chiqish navbatini/],
  ['publisher@daraja.uz', 'publisher', /e'lon qiling/],
  ['cdo@daraja.uz', 'cdo', /Tashkilotingiz ko'rsatkichlarini/],
  ['district@daraja.uz', 'district', /Hududingiz ko'rsatkichlarini/],
  ['viewer@daraja.uz', 'viewer', /e'lon qilingan reytinglarni/],
];

async function hydrated(page: Page) {
  await page.locator('body[data-hydrated="true"]').waitFor();
}

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Elektron pochta').fill(email);
  await page.getByLabel('Parol', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Kirish' }).click();
}

for (const [email, role, next] of roles) {
  test(`${role} signs in and lands on their home page`, async ({ page }) => {
    await signIn(page, email);
    await expect(page).toHaveURL(/\/$/);
    const steps = page.locator('section.next-steps');
    await expect(steps).toHaveAttribute('data-roles', new RegExp(role));
    await expect(steps).toContainText(next);
    await expect(page.getByRole('button', { name: 'Chiqish' })).toBeVisible();
    if (role === 'district' || role === 'cdo') {
      // Their entity's rating: score, trend, what to improve first.
      await expect(steps.locator('.own-rating .lead')).toBeVisible();
      await expect(steps.locator('.own-rating svg.trend circle').first()).toBeVisible();
      await expect(steps.locator('.own-rating ol.gaps li').first()).toBeVisible();
    } else {
      // Ministry staff and viewers: campaigns in progress, biggest movers.
      await expect(steps.locator('.pulse-table tbody tr').first()).toBeVisible();
      await expect(steps.locator('.movers p[data-kind=district]')).toContainText('+');
    }
    await page.screenshot({ path: `${SHOTS}/home-${role}.png`, fullPage: true });
  });
}

test('switching the language changes the page and persists', async ({ page }) => {
  await page.goto('/registry');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tashkilotlar va hududlar reestri');
  for (const [tag, heading] of [
    ['ru', 'Реестр организаций и территорий'],
    ['en', 'Registry of bodies and territories'],
    ['uz-Cyrl', 'Ташкилотлар ва ҳудудлар реестри'],
  ]) {
    await page.locator('#lang-select').selectOption(tag);
    await page.locator('form.lang-switch button').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page.locator('html')).toHaveAttribute('lang', tag);
    await page.screenshot({ path: `${SHOTS}/registry-${tag}.png`, fullPage: true });
  }
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ташкилотлар ва ҳудудлар реестри');
});

test('the registry searches by name in any language and by SOATO', async ({ page }) => {
  await page.goto('/registry');
  await hydrated(page);
  await page.getByRole('searchbox').fill('Самарканд');
  await page.getByRole('button', { name: 'Qidirish' }).click();
  await expect(page.getByRole('link', { name: /Samarqand/ }).first()).toBeVisible();
  await page.getByRole('searchbox').fill('1703');
  await page.getByRole('button', { name: 'Qidirish' }).click();
  await expect(page.getByRole('link', { name: 'Andijon viloyati' })).toBeVisible();
  await page.getByRole('link', { name: 'Andijon viloyati' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Andijon viloyati');
  await page.screenshot({ path: `${SHOTS}/entity-andijan.png`, fullPage: true });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('pages read on their own and sign-in works', async ({ page }) => {
    await page.goto('/registry?kind=region');
    await expect(page.getByRole('link', { name: 'Toshkent shahri' })).toBeVisible();
    await page.goto('/sign-in');
    await page.getByLabel('Elektron pochta').fill('viewer@daraja.uz');
    await page.getByLabel('Parol', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Kirish' }).click();
    await expect(page.locator('section.next-steps')).toHaveAttribute('data-roles', 'viewer');
  });
  test('a region page ranks its districts and draws its trend', async ({ page }) => {
    await page.goto('/registry?kind=region');
    await page.getByRole('link', { name: 'Andijon viloyati' }).click();
    const region = page.locator('section.region-rating');
    await expect(region).toHaveAttribute('data-districts', '16');
    await expect(region.locator('.region-districts tbody tr')).toHaveCount(16);
    // Four published rounds: the region's and the league's averages.
    await expect(region.locator('svg.trend .series.own circle')).toHaveCount(4);
    await expect(region.locator('svg.trend .series.national circle')).toHaveCount(4);
    await page.screenshot({ path: `${SHOTS}/region-andijan.png`, fullPage: true });
  });
});

test('an unknown address shows the 404 page', async ({ page }) => {
  const r = await page.goto('/no/such/page');
  expect(r?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sahifa topilmadi');
});

test('admin grants a role and the audit log shows it', async ({ page }) => {
  await signIn(page, 'admin@daraja.uz');
  await expect(page.locator('section.next-steps')).toBeVisible();
  await page.goto('/admin/users');
  await hydrated(page);
  await page.getByText('Foydalanuvchi yaratish').first().click();
  const email = `new${Date.now()}@daraja.uz`;
  await page.locator('#u-email').fill(email);
  await page.locator('#u-name').fill('Yangi Xodim');
  await page.locator('#u-pw').fill('first password 1');
  await page.getByRole('button', { name: 'Foydalanuvchi yaratish' }).click();
  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row).toBeVisible();
  await row.getByLabel('Rol berish').selectOption('reviewer');
  await row.getByRole('button', { name: 'Rol berish' }).click();
  await expect(page.getByRole('row').filter({ hasText: email })).toContainText('Tekshiruvchi');
  await page.screenshot({ path: `${SHOTS}/admin-users.png`, fullPage: true });
  await page.goto('/admin/audit?type=user');
  await expect(page.getByRole('cell', { name: 'user.grant' }).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/admin-audit.png`, fullPage: true });
});

test('the public district league shows the latest round and its downloads', async ({ page }) => {
  await page.goto('/ratings/district');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('2023');
  // 207 districts and cities were valid in November 2023 (203 in 2020).
  await expect(page.locator('table.league tbody tr')).toHaveCount(207);
  // The map: 14 first-level units coloured by band, each a link.
  const map = page.locator('figure.region-map');
  await expect(map.locator('a path.region')).toHaveCount(14);
  await expect(map.locator('path.region[data-band=""]')).toHaveCount(0);
  const fills = await map.locator('path.region').evaluateAll((ps) => ps.map((p) => p.getAttribute('fill')));
  expect(new Set(fills).size).toBeGreaterThanOrEqual(3);
  await expect(map).toContainText('CC BY 4.0');
  await map.screenshot({ path: `${SHOTS}/ratings-map.png` });
  await hydrated(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Excel kitobi' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('daraja-district-2023-12-r1-uz-Latn.xlsx');
  const csvHref = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
  const csv = await page.request.get(csvHref!);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).trim().split('\n')).toHaveLength(208);
  await page.screenshot({ path: `${SHOTS}/ratings-district.png` });
});

test('an entity page shows its rating history and what to improve first', async ({ page }) => {
  await page.goto('/registry?q=1703224');
  await page.getByRole('link', { name: 'Asaka tumani' }).click();
  await expect(page.getByRole('heading', { name: 'Reytinglar tarixi' })).toBeVisible();
  // Four published rounds: four points on the server-drawn chart.
  await expect(page.locator('svg.trend circle')).toHaveCount(4);
  await expect(page.getByRole('heading', { name: 'Avvalo nimani yaxshilash kerak' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Hisobot kartasi (Excel)' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/entity-profile-asaka.png`, fullPage: true });
});

test('methodology versions show their tree and what changed', async ({ page }) => {
  await page.goto('/methodologies');
  await page.getByRole('link', { name: /organlarini raqamlashtirish reytingi NIS\.UZ/ }).first().click();
  await expect(page.getByRole('heading', { name: "Ko'rsatkichlar daraxti" })).toBeVisible();
  await expect(page.getByText('added SERV.mobile_app')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/methodology.png`, fullPage: true });
});

test('the what-if sandbox re-ranks the league in the browser as a weight moves', async ({ page }) => {
  await page.goto('/ratings/district/what-if');
  await hydrated(page);
  const rows = page.locator('table.what-if tbody tr');
  await expect(rows).toHaveCount(207);
  // At the published weights nobody moves.
  await expect(page.locator('table.what-if tbody').getByText(/[▲▼]/)).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/what-if-published.png` });
  await page.getByLabel("Raqamli ta'lim").fill('0');
  await expect(page.locator('table.what-if tbody').getByText(/[▲▼]/).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/what-if-no-education.png` });
  await page.getByRole('button', { name: 'Asliga qaytarish' }).click();
  await expect(page.locator('table.what-if tbody').getByText(/[▲▼]/)).toHaveCount(0);
});

test('an earlier round of a league can be chosen', async ({ page }) => {
  await page.goto('/ratings/district');
  await page.getByRole('navigation', { name: 'Baholash bosqichlari' }).getByRole('link', { name: '2020-yil dekabr baholash bosqichi' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('2020');
  await expect(page.locator('table.league tbody tr')).toHaveCount(203);
  await expect(page.locator('table.league tbody .pill.band-good')).toHaveCount(28);
});

test('the shipped map is the npm package\'s data (scripts/map-data.mjs --check)', () => {
  execFileSync('node', ['../scripts/map-data.mjs', '--check'], { stdio: 'inherit' });
});

test('the national workbook is watched while it is written, then downloaded', async ({ page }) => {
  await page.goto('/ratings/district');
  await hydrated(page);
  const watched = page.waitForRequest(r => r.url().includes('/workbook.xlsx/progress'));
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Excel kitobi' }).click();
  await watched;
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^daraja-district-.*-uz-Latn\.xlsx$/);
  expect(file.url()).toContain('prepared=');
  await expect(page.locator('.export-progress')).toHaveText(/Tayyor/);
  await page.locator('p.downloads').screenshot({ path: `${SHOTS}/workbook-ready.png` });
});
