// Issue 6 acceptance, in a real browser: sign in, see the dashboard, create a publisher, create
// a token and revoke it with confirmation, see it marked revoked — and the API then refuses the
// token (401). Every step is in the audit log as admin:<username>. Saves the dashboard
// screenshot the README shows (docs/screenshots/dashboard.png).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, createAdmin } from '../support/admin.js';
import { launchChromium } from '../support/browser.js';
import { startTestService, type TestService } from '../support/service.js';

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url);

describe('admin UI in Chromium', () => {
  let ta: TestService;
  let browser: Browser;
  let page: Page;
  let token = '';
  let tokenId = '';

  before(async () => {
    browser = await launchChromium();
    ta = await startTestService({ listen: true, env: { TA_NAME: 'Example Trust Authority' } });
    await createAdmin(ta, 'alice');
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  });
  after(async () => {
    await browser?.close();
    await ta?.stop();
  });

  it('signs in and sees the dashboard', async () => {
    await page.goto(`${ta.url}/admin`);
    assert.match(page.url(), /\/admin\/sign-in\?next=%2Fadmin$/);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('wrong password, first');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong username or password.').waitFor();
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    assert.ok(await page.getByText('Signed in as').isVisible());
    assert.ok(await page.getByRole('table', { name: 'Authority key status' }).isVisible());
  });

  it('creates a publisher', async () => {
    await page.getByRole('link', { name: 'Publishers', exact: true }).first().click();
    await page.getByRole('link', { name: 'New publisher' }).click();
    await page.getByLabel('Name').fill('Acme Weather Co');
    await page.getByRole('button', { name: 'Create publisher' }).click();
    await page.getByRole('heading', { level: 1, name: 'Publisher Acme Weather Co' }).waitFor();
    await page.getByRole('status').getByText('Publisher “Acme Weather Co” created.').waitFor();
  });

  it('creates a token, shown once', async () => {
    await page.getByRole('link', { name: 'Create token' }).click();
    await page.getByLabel('Role').selectOption('publisher');
    await page.getByLabel('Label (optional)').fill('CI deploy');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Copy this token now.').waitFor();
    token = await page.locator('#new-token').inputValue();
    tokenId = /^mcpsta_(tok_[0-9a-f]{16})_/.exec(token)![1]!;
    const me = await ta.request('GET', '/v1/token', { token });
    assert.equal(me.status, 200);
    await page.getByRole('link', { name: /Done — back to Acme Weather Co/ }).click();
    const row = page.locator(`tr#${tokenId}`);
    assert.equal(await row.locator('[data-status]').innerText(), '✓ active');
  });

  it('revokes the token after a confirmation step; it is marked revoked and the API refuses it', async () => {
    await page.getByRole('link', { name: `Revoke token ${tokenId}` }).click();
    await page.getByRole('heading', { level: 1, name: `Revoke token ${tokenId}` }).waitFor();
    assert.equal((await ta.request('GET', '/v1/token', { token })).status, 200, 'not revoked before confirming');
    await page.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByRole('status').getByText(`Token ${tokenId} revoked.`).waitFor();
    const badge = page.locator(`tr#${tokenId} [data-status]`);
    assert.equal(await badge.getAttribute('data-status'), 'revoked');
    assert.equal(await badge.innerText(), '✕ revoked');
    const res = await ta.request('GET', '/v1/token', { token });
    assert.equal(res.status, 401);
  });

  it('shows every action in the audit log under the admin\'s name, with a verified chain', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByText('chain verified').waitFor();
    await page.getByLabel('Actor').fill('admin:alice');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/actor=admin%3Aalice/);
    const actions = await page.locator('tbody tr td:nth-child(4)').allInnerTexts();
    assert.deepEqual(new Set(actions), new Set(['admin.login', 'publisher.created', 'token.created', 'token.revoked']));
  });

  it('every form control has a label and keyboard focus is visible', async () => {
    for (const path of ['/admin', '/admin/publishers', '/admin/audit']) {
      await page.goto(`${ta.url}${path}`);
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll("input:not([type=hidden]), select, textarea"))
          .filter((el) => (el as HTMLInputElement).labels?.length === 0 && !el.getAttribute('aria-label'))
          .map((el) => el.outerHTML),
      );
      assert.deepEqual(unlabelled, [], path);
    }
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent, style: getComputedStyle(el).outlineStyle };
    });
    assert.equal(outline.text, 'Skip to content');
    assert.notEqual(outline.style, 'none');
  });

  it('saves the dashboard screenshot', async () => {
    await page.goto(`${ta.url}/admin`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: new URL('dashboard.png', SCREENSHOTS).pathname, fullPage: true });
  });

  it('signs out, and /admin then asks for sign-in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    await page.goto(`${ta.url}/admin/publishers`);
    assert.match(page.url(), /\/admin\/sign-in/);
  });
});
