// Driven by scripts/teams-playground-e2e.sh: a person's session in Microsoft 365 Agents Playground.
const { chromium } = require('playwright-core');
const fs = require('fs');
const api = 'http://localhost:3978/api/v1';
const auth = { 'Authorization': 'Bearer playground-e2e-token', 'Content-Type': 'application/json' };
const shots = process.env.SHOTS;

function check(condition, message) {
  if (!condition) { console.error('FAIL ' + message); process.exit(1); }
  console.log('ok   ' + message);
}

(async () => {
  fs.mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox', '--disable-gpu',
    '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto('http://localhost:56150', { waitUntil: 'networkidle' });
  await page.getByText('Personal Chat').click();
  const box = page.locator('[data-lexical-editor="true"]').first();
  await box.click();
  await page.keyboard.type('help');
  await page.keyboard.press('Enter');
  await page.getByText('which policy applies and who approves').waitFor({ timeout: 15000 });
  check(true, 'the bot answers "help" in the personal chat');

  const created = await (await fetch(api + '/requests', { method: 'POST', headers: auth, body: JSON.stringify({
    requester: 'meganb@example.com', resource: 's3:DeleteBucket', account: '123456789012',
    justification: 'INC-4711: remove the leaked bucket', duration: '1h' }) })).json();
  check(created.status === 'PENDING', 'Megan\'s request ' + created.id + ' waits for approval');
  await page.getByText(created.id).waitFor({ timeout: 15000 });
  await page.screenshot({ path: shots + '/1-approval-card.png' });
  check(await page.getByRole('button', { name: 'Approve' }).count() > 0, 'Alex sees the approval card with Approve');

  await page.locator('textarea').last().fill('matches INC-4711');
  await page.getByRole('button', { name: 'Approve' }).last().click();
  await page.getByText('Approved by').first().waitFor({ timeout: 15000 });
  await page.screenshot({ path: shots + '/2-approved.png' });
  const after = await (await fetch(api + '/requests/' + created.id, { headers: auth })).json();
  check(after.status === 'APPROVED', 'the request is APPROVED');
  check(after.decidedBy === 'alexw@example.com', 'decided by Alex');
  check(await page.getByRole('button', { name: 'Approve' }).count() === 0, 'no Approve button is left on the card');
  await browser.close();
})().catch(e => { console.error(e); process.exit(1); });
