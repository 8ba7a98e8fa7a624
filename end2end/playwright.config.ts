import { defineConfig } from '@playwright/test';

// Browser tests drive Debian's Chromium (never a downloaded browser). The
// server is started by `cargo leptos end-to-end` or by scripts/test.sh; the
// global setup waits until it answers.
export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  use: {
    baseURL: process.env.DARAJA_URL ?? 'http://127.0.0.1:3000',
    // Uzbek (Latin) is the product's default language.
    locale: 'uz',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
});
