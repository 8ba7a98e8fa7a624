import { test, expect, Page, Browser } from '@playwright/test';
// Named to run first: its form checks need the officer's form still open
// (later files submit it).
import { hydrated, signIn, SHOTS } from './session';

// The language sweep (issue 24): every page in Uzbek (Cyrillic) and in
// Russian, as the public and as each role, and the form's error paths:
// no run of three or more English words in the visible text, and no
// untranslated key. Names, codes and addresses are not English prose, so
// only words of a small English list count.
const ENGLISH = new Set((
  'a an the of to in on at by for from with without and or not no nor is are was were be been ' +
  'it its this that these those there here has have had do does did can cannot could must may ' +
  'should will would you your we our they their he she his her which who whom what when where why ' +
  'how all any each every some one only also more most other than then so as if but into out up ' +
  'down over under again once please sign save saved reload page error found required invalid input ' +
  'allowed number value entity submission campaign review reviewer officer deadline passed open closed ' +
  'final draft read write new old first last next back yes none answer answers already still yet ' +
  'someone else while before after problem problems internal logged request requests try'
).split(/\s+/));

/// Runs of three or more English words in `text`.
function englishRuns(text: string): string[] {
  const runs: string[] = [];
  let run: string[] = [];
  for (const raw of text.split(/[\s,.;:!?()«»“”"'/\-–—]+/)) {
    const w = raw.toLowerCase();
    if (w && ENGLISH.has(w)) {
      run.push(raw);
    } else {
      if (run.length >= 3) runs.push(run.join(' '));
      run = [];
    }
  }
  if (run.length >= 3) runs.push(run.join(' '));
  return runs;
}

/// The page's visible prose: codes (`.mono`, `<code>`) and what the page
/// itself marks as English (`lang="en"`: the API reference's own
/// documentation) are left out.
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const hidden: Array<[HTMLElement, string]> = [];
    document.querySelectorAll<HTMLElement>('[lang="en"], .mono, code, kbd').forEach((e) => {
      hidden.push([e, e.style.display]);
      e.style.display = 'none';
    });
    const text = document.body.innerText;
    for (const [e, d] of hidden) e.style.display = d;
    return text;
  });
}

async function check(page: Page, what: string) {
  const text = await visibleText(page);
  expect(englishRuns(text), `${what}: English in the page`).toEqual([]);
  // An untranslated key of the table would show as snake_case words.
  expect(text.match(/(?<![.\w])[a-z]+_[a-z_]+(?![.\w])/g) ?? [], `${what}: raw keys`).toEqual([]);
}

async function inLanguage(browser: Browser, lang: string, email?: string): Promise<Page> {
  const context = await browser.newContext({ locale: lang === 'ru' ? 'ru-RU' : 'uz' });
  await context.addCookies([{ name: 'lang', value: lang, url: process.env.DARAJA_URL ?? 'http://127.0.0.1:3000' }]);
  const page = await context.newPage();
  if (email) await signIn(page, email);
  return page;
}

const PUBLIC = ['/', '/ratings/district', '/ratings/state_body', '/registry?kind=region', '/methodologies', '/developers', '/sign-in'];
const ROLES: Array<[string, string[]]> = [
  ['admin@daraja.uz', ['/', '/campaigns', '/review', '/admin/users', '/admin/audit', '/admin/tokens', '/proposals', '/account']],
  ['district@daraja.uz', ['/', '/campaigns', '/account']],
];

for (const lang of ['uz-Cyrl', 'ru']) {
  test(`the public pages speak ${lang} only`, async ({ browser }) => {
    const page = await inLanguage(browser, lang);
    for (const path of PUBLIC) {
      await page.goto(path);
      await hydrated(page);
      await check(page, `${lang} ${path}`);
    }
  });

  for (const [email, paths] of ROLES) {
    test(`${email}'s pages speak ${lang} only`, async ({ browser }) => {
      const page = await inLanguage(browser, lang, email);
      for (const path of paths) {
        await page.goto(path);
        await hydrated(page);
        await check(page, `${lang} ${email} ${path}`);
      }
    });
  }

  test(`the form's errors speak ${lang}`, async ({ browser }) => {
    const page = await inLanguage(browser, lang, 'district@daraja.uz');
    await hydrated(page);
    await page.locator('.my-work ul.due a').first().click();
    await expect(page.locator('section.form-head')).toBeVisible();
    await hydrated(page);
    // A bad number: the field says so in the page's language.
    const field = page.locator('.field[data-kind="number"]').first();
    await field.locator('input[inputmode="decimal"]').fill('abc');
    await expect(field).toHaveAttribute('data-save-state', 'failed');
    await check(page, `${lang} form with a bad number`);
    await field.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/form-bad-number-${lang}.png`, fullPage: false });
    // 1,240 km of fibre against last round's figure: which was meant?
    const fibre = page.locator('.field[data-code="INFRA.fibre_km"]');
    await fibre.locator('input[inputmode="decimal"]').fill('1,240');
    await expect(fibre).toHaveAttribute('data-save-state', 'ambiguous');
    await check(page, `${lang} form asking about 1,240`);
    await fibre.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/form-ambiguous-${lang}.png`, fullPage: false });
    await fibre.locator('button.choose-grouped').click();
    await expect(fibre).toHaveAttribute('data-save-state', 'saved');
    await expect(fibre.locator('input[inputmode="decimal"]')).toHaveValue('1240');
    // Another district's form is refused in the page's language.
    await page.goto('/submissions/1');
    await hydrated(page);
    await check(page, `${lang} another district's form`);
    // Submitting with problems lists them in the page's language.
    await page.goBack();
  });
}
