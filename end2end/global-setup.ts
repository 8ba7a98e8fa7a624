// Waits for the server before any test runs: `cargo leptos end-to-end`
// starts the tests at the same moment as the server.
export default async function globalSetup() {
  const url = process.env.DARAJA_URL ?? 'http://127.0.0.1:3000';
  const deadline = Date.now() + 180_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url + '/sign-in');
      if (r.ok) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server at ${url} did not answer within 180 s: ${last}`);
}
