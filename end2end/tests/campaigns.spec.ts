import { test, expect, Page, Browser } from '@playwright/test';
import { SHOTS, hydrated, scan, signIn, signedIn } from './session';
import JSZip from 'jszip';
import * as fs from 'fs';

// The demo opens a 2024 round with two-level review; the district officer
// (Asaka) fills in the form, a second tab collides with a save, the
// region's officer (Andijan) returns the submission with a reason and the
// officer sees it; later the region endorses the resubmission and the
// ministry's reviewer approves it. In this order.
async function officerPage(browser: Browser): Promise<Page> {
  return signedIn(browser, 'district@daraja.uz');
}

/// The officer's own 2024 submission, from the home page's "due now".
async function openOwnForm(page: Page) {
  await page.goto('/');
  await page.locator('.my-work ul.due a').first().click();
  await expect(page).toHaveURL(/\/submissions\/\d+$/);
  await hydrated(page);
}

const field = (page: Page, code: string) => page.locator(`.field[data-code="${code}"]`);
const input = (page: Page, code: string) => page.locator(`#in-${code.replace('.', '\\.')}`);

async function saved(page: Page, code: string) {
  await expect(field(page, code)).toHaveAttribute('data-save-state', 'saved');
}

/// Fixes what blocks submission (evidence, justifications) and submits.
async function fixAndSubmit(page: Page) {
  // Evidence where the methodology asks for it.
  for (const code of ['INFRA.social_broadband', 'ECON.local_services']) {
    const f = field(page, code);
    await f.locator('details.add-evidence summary').click();
    await f.locator('input[name=url]').fill('https://asaka.uz/digital/2024');
    await f.locator('details.add-evidence form.link-form button[type=submit]').click();
    await expect(field(page, code).locator('li[data-evidence=url]').first()).toBeVisible();
    // What the background link checker saw there (pending until it ran).
    await expect(field(page, code).locator('li[data-evidence=url] [data-link]').first()).toBeVisible();
  }
  // Justify every soft warning left (outliers) in its note.
  const soft = await page
    .locator('.field:has(.field-issues li.soft)')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')!));
  for (const code of soft) {
    const f = field(page, code);
    // Open (a note already written opens by itself).
    await f.locator('details.note').evaluate((d) => { (d as HTMLDetailsElement).open = true; });
    await f.locator('details.note textarea').fill('Confirmed with the district statistics office.');
    await saved(page, code);
  }
  await expect(page.locator('.submit-panel .blocking')).toHaveAttribute('data-blocking', '0/0');
  await page.locator('#submit-form').click();
  await expect(page.locator('.form-head')).toHaveAttribute('data-status', 'submitted');
  await expect(page.locator('.form-head')).toHaveAttribute('data-editable', 'false');
}

test.describe.serial('campaign round trip', () => {
  test('an officer types answers, they save themselves and survive a reload', async ({ browser }) => {
    const page = await officerPage(browser);
    await openOwnForm(page);
    await expect(page.locator('.form-head')).toHaveAttribute('data-editable', 'true');
    // Prefilled answers are marked as carried over.
    await expect(field(page, 'INFRA.mobile_4g').locator('.prefilled')).toBeVisible();
    // A number written the local way, a percentage, a yes/no radio.
    await input(page, 'INFRA.fibre_km').fill('1 240,5');
    await saved(page, 'INFRA.fibre_km');
    await input(page, 'ECON.cashless').fill('61,2 %');
    await saved(page, 'ECON.cashless');
    await field(page, 'ECON.local_services').locator('input[value=yes]').check();
    await saved(page, 'ECON.local_services');
    // Out of range: flagged at once, beside the field and in the summary.
    await input(page, 'INFRA.fixed_per100').fill('250');
    await saved(page, 'INFRA.fixed_per100');
    await expect(field(page, 'INFRA.fixed_per100')).toHaveClass(/has-hard/);
    await expect(page.locator('.issues li[data-issue=out_of_range]')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/form-officer.png`, fullPage: true });
    await page.reload();
    await hydrated(page);
    await expect(input(page, 'INFRA.fibre_km')).toHaveValue('1240,5');
    await expect(input(page, 'ECON.cashless')).toHaveValue('61,2');
    await expect(field(page, 'ECON.local_services').locator('input[value=yes]')).toBeChecked();
    await expect(field(page, 'INFRA.fibre_km').locator('.prefilled')).toHaveCount(0);
    await expect(page.locator('.form-head .pill')).toHaveClass(/ss-in_progress/);
  });

  test('two tabs saving one value get a conflict that shows both versions', async ({ browser }) => {
    const first = await officerPage(browser);
    const second = await officerPage(browser);
    await openOwnForm(first);
    await openOwnForm(second);
    await input(first, 'EDU.it_centres').fill('41');
    await saved(first, 'EDU.it_centres');
    // The second tab still holds the version it loaded.
    await input(second, 'EDU.it_centres').fill('57');
    await expect(field(second, 'EDU.it_centres')).toHaveAttribute('data-save-state', 'conflict');
    const conflict = field(second, 'EDU.it_centres').locator('.conflict');
    await expect(conflict.locator('.theirs')).toHaveText('41');
    await expect(conflict.locator('.yours')).toHaveText('57');
    await field(second, 'EDU.it_centres').screenshot({ path: `${SHOTS}/form-conflict.png` });
    // Nothing was overwritten; keeping theirs shows it in the field.
    await conflict.locator('button').first().click();
    await expect(input(second, 'EDU.it_centres')).toHaveValue('41');
    await first.reload();
    await hydrated(first);
    await expect(input(first, 'EDU.it_centres')).toHaveValue('41');
  });

  test('the officer fixes, justifies and submits; the region returns it; the officer sees why', async ({ browser }) => {
    const page = await officerPage(browser);
    await openOwnForm(page);
    await input(page, 'INFRA.fixed_per100').fill('24');
    await saved(page, 'INFRA.fixed_per100');
    await fixAndSubmit(page);

    // Two-level review: the ministry does not see it yet; Andijan does.
    const reviewer = await signedIn(browser, 'reviewer@daraja.uz');
    await reviewer.goto('/review?region=1703');
    await hydrated(reviewer);
    await expect(reviewer.locator('table.queue tr', { hasText: 'Asaka' })).toHaveCount(0);
    const region = await signedIn(browser, 'andijan@daraja.uz');
    // The home page says how much of the districts' work waits for it.
    await hydrated(region);
    const waiting = region.locator('.region-reviews');
    await expect(waiting).toBeVisible();
    expect(Number(await waiting.getAttribute('data-waiting'))).toBeGreaterThan(0);
    await expect(region.locator('nav.main-nav a[href="/review"]')).toBeVisible();
    await waiting.locator('a').click();
    await hydrated(region);
    const row = region.locator('table.queue tr', { hasText: 'Asaka' });
    await expect(row.locator('.pill.ss-submitted')).toBeVisible();
    await region.screenshot({ path: `${SHOTS}/review-queue-region.png`, fullPage: true });
    await row.locator('a').click();
    await hydrated(region);
    await expect(region.locator('.decide-panel')).toHaveAttribute('data-stage', 'region');
    await region.locator('#return-reason').fill('Fibre length differs from Uztelecom data: please check.');
    await region.locator('#return-form').click();
    await expect(region.locator('.form-head')).toHaveAttribute('data-status', 'returned');
    await region.screenshot({ path: `${SHOTS}/review-returned.png`, fullPage: true });

    await page.reload();
    await hydrated(page);
    await expect(page.locator('.form-head')).toHaveAttribute('data-status', 'returned');
    await expect(page.locator('.form-head')).toHaveAttribute('data-editable', 'true');
    await expect(page.locator('.comments-general .act-return .body')).toHaveText(
      'Fibre length differs from Uztelecom data: please check.',
    );
  });

  test('the returned officer attaches a PDF; a non-document is refused on the form', async ({ browser }) => {
    const page = await officerPage(browser);
    await openOwnForm(page);
    const f = field(page, 'INFRA.fibre_km');
    await f.locator('details.add-evidence summary').click();
    const upload = f.locator('form.upload-form');
    await upload.locator('input[type=file]').setInputFiles({
      name: 'Uztelecom-fibre-2024.pdf', mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n'),
    });
    await upload.locator('button[type=submit]').click();
    await hydrated(page);
    const file = field(page, 'INFRA.fibre_km').locator('li[data-evidence=file]');
    await expect(file).toContainText('Uztelecom-fibre-2024.pdf');
    await expect(file).toContainText('SHA-256');
    await field(page, 'INFRA.fibre_km').locator('details.add-evidence summary').click();
    await field(page, 'INFRA.fibre_km').locator('form.upload-form input[type=file]').setInputFiles({
      name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<script>alert(1)</script>'),
    });
    await field(page, 'INFRA.fibre_km').locator('form.upload-form button[type=submit]').click();
    await expect(page.locator('#upload-error')).toContainText('notes.pdf');
  });

  test('the officer fills the form offline in Excel: a check first, then the upload; a bad cell is named', async ({ browser }) => {
    const page = await officerPage(browser);
    await openOwnForm(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#template-download').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const template = fs.readFileSync(await download.path());
    // "Excel": one value cell of the values sheet changed, the way a
    // spreadsheet saves it (a number, or a text in a number's place).
    const filled = async (cell: string) => {
      const zip = await JSZip.loadAsync(template);
      const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
      const index = [...strings.matchAll(/<si>(.*?)<\/si>/gs)]
        .findIndex((m) => m[1].includes('>INFRA.public_wifi<'));
      const sheet = await zip.file('xl/worksheets/sheet2.xml')!.async('string');
      const row = sheet.match(new RegExp(`<c r="B(\\d+)"[^>]*t="s"[^>]*><v>${index}</v></c>`))![1];
      const edited = sheet.replace(
        new RegExp(`<c r="H${row}"( s="\\d+")?[^>]*?(/>|>.*?</c>)`),
        (_m, style) => `<c r="H${row}"${style ?? ''}${cell}</c>`,
      );
      zip.file('xl/worksheets/sheet2.xml', edited);
      return { row, bytes: await zip.generateAsync({ type: 'nodebuffer' }) };
    };
    const upload = async (bytes: Buffer, checkOnly: boolean) => {
      const form = page.locator('form.template-upload');
      await form.locator('input[type=file]').setInputFiles({
        name: 'asaka-2024.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: bytes,
      });
      await form.locator('input[name=dry_run]').setChecked(checkOnly);
      await form.locator('button[type=submit]').click();
      await expect(page).toHaveURL(/import=\d+/);
      await hydrated(page);
    };
    const good = await filled('><v>77</v>');
    await upload(good.bytes, true);
    const report = page.locator('#import-report');
    await expect(report).toHaveAttribute('data-applied', 'false');
    await expect(report).toHaveAttribute('data-changes', '1');
    await expect(report.locator('.import-changes')).toContainText('INFRA.public_wifi');
    await expect(input(page, 'INFRA.public_wifi')).not.toHaveValue('77');
    await page.locator('.excel-panel').screenshot({ path: `${SHOTS}/form-excel-check.png` });
    await upload(good.bytes, false);
    await expect(report).toHaveAttribute('data-applied', 'true');
    await expect(input(page, 'INFRA.public_wifi')).toHaveValue('77');
    const bad = await filled(' t="inlineStr"><is><t>many</t></is>');
    await upload(bad.bytes, false);
    await expect(report).toHaveAttribute('data-applied', 'false');
    await expect(report).toHaveAttribute('data-problems', '1');
    await expect(report.locator('.import-problems')).toContainText(`!H${bad.row}`);
    await expect(input(page, 'INFRA.public_wifi')).toHaveValue('77');
    await page.locator('.excel-panel').screenshot({ path: `${SHOTS}/form-excel-refused.png` });
  });

  test('the region endorses the resubmission and the ministry approves it', async ({ browser }) => {
    const page = await officerPage(browser);
    await openOwnForm(page);
    await fixAndSubmit(page);
    const region = await signedIn(browser, 'andijan@daraja.uz');
    await region.goto('/review');
    await hydrated(region);
    await region.locator('table.queue tr', { hasText: 'Asaka' }).locator('a').click();
    await hydrated(region);
    await expect(region.locator('#approve-form')).toHaveText("Ma'qullash va vazirlikka yuborish");
    await region.locator('#approve-form').click();
    await expect(region.locator('.form-head')).toHaveAttribute('data-status', 'endorsed');
    await expect(region.locator('.decide-panel')).toHaveCount(0);

    const reviewer = await signedIn(browser, 'reviewer@daraja.uz');
    await reviewer.goto('/review?region=1703');
    await hydrated(reviewer);
    const row = reviewer.locator('table.queue tr', { hasText: 'Asaka' });
    await expect(row.locator('.pill.ss-endorsed')).toBeVisible();
    await row.locator('a').click();
    await hydrated(reviewer);
    await expect(reviewer.locator('.decide-panel')).toHaveAttribute('data-stage', 'ministry');
    await reviewer.screenshot({ path: `${SHOTS}/review-endorsed.png`, fullPage: true });
    await reviewer.locator('#approve-form').click();
    await expect(reviewer.locator('.form-head')).toHaveAttribute('data-status', 'approved');
    await expect(reviewer.locator('details.history')).toContainText('submission.endorse');
  });

  test("the region's officer downloads the districts' workbook and checks it back", async ({ browser }) => {
    const region = await signedIn(browser, 'andijan@daraja.uz');
    await hydrated(region);
    await region.locator('ul.region-rounds a').first().click();
    await hydrated(region);
    await expect(region.locator('table.region-districts tr[data-entity="1703224"]')).toBeVisible();
    const [download] = await Promise.all([
      region.waitForEvent('download'),
      region.locator('#template-download').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^daraja-2024-districts-region-1703-uz-Latn\.xlsx$/);
    const bytes = fs.readFileSync(await download.path());
    // A row per district of the region.
    const zip = await JSZip.loadAsync(bytes);
    const sheet = await zip.file('xl/worksheets/sheet2.xml')!.async('string');
    const districts = Number(await region.locator('.region-excel').getAttribute('data-districts'));
    expect((sheet.match(/<row /g) ?? []).length).toBe(2 + districts);
    const form = region.locator('form.template-upload');
    await form.locator('input[type=file]').setInputFiles({
      name: 'andijan-2024.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: bytes,
    });
    await form.locator('button[type=submit]').click();
    await expect(region).toHaveURL(/import=\d+/);
    await hydrated(region);
    const report = region.locator('#import-report');
    await expect(report).toHaveAttribute('data-applied', 'false');
    await expect(report).toHaveAttribute('data-problems', '0');
    await region.screenshot({ path: `${SHOTS}/region-workbook.png`, fullPage: true });
    await scan(region, 'region page');
  });

  test('ministry staff follow the round in the cockpit', async ({ page }) => {
    await signIn(page, 'admin@daraja.uz');
    await page.goto('/campaigns');
    await hydrated(page);
    await page.locator('table.campaigns tr[data-code="2024-districts"] a').click();
    await hydrated(page);
    await expect(page.locator('.cockpit-head [data-status]')).toHaveAttribute('data-status', 'open');
    await expect(page.locator('table.cockpit tr[data-status=approved]')).toHaveCount(1);
    expect(await page.locator('table.cockpit tr[data-status=endorsed]').count()).toBeGreaterThan(0);
    await expect(page.locator('.cockpit-head [data-region-review]')).toHaveAttribute('data-region-review', 'true');
    await page.screenshot({ path: `${SHOTS}/cockpit.png`, fullPage: false });
  });
});
