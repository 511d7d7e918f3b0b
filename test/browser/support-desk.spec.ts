import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { grantRole } from '../../src/db/repositories/accounts';
import type { TestStack } from '../helpers/service-stack';
import { until } from '../helpers/wait';
import { checkPage, expect, test } from './fixtures';
import { expectFitsWidth, PHONE } from './layout';
import { PASSWORD, signInOnPage, verifiedMerchant } from './merchant';

const PROFILE = {
  fullName: 'Ayşe Yılmaz',
  tradeName: 'Yılmaz Tekstil Ltd.',
  country: 'TR',
  city: 'İstanbul',
  dateOfBirth: '1985-04-23',
  phone: '+90 212 555 12 12',
};

async function tokenOf(stack: TestStack, email: string): Promise<{ token: string; id: string }> {
  const login = await stack.http.post('/v1/auth/login', { email, password: PASSWORD });
  const token = login.body.token as string;
  const account = await stack.http.get('/v1/account', token);
  return { token, id: account.body.id as string };
}

/** An account of the support team, signed in on the page. */
async function agentOnDesk(stack: TestStack, page: Page) {
  const { email } = await verifiedMerchant(stack);
  const agent = await tokenOf(stack, email);
  await grantRole(stack.database.db, agent.id, 'support');
  await page.goto('/sign-in');
  await signInOnPage(page, email, PASSWORD);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Support desk' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Support desk' })).toBeVisible();
  return agent;
}

test('when a merchant who is not on the support team opens the desk, then there is no link to it and the page says it is not available', async ({
  page,
  stack,
}) => {
  const { email } = await verifiedMerchant(stack);
  await page.goto('/sign-in');
  await signInOnPage(page, email, PASSWORD);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Support', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Support desk' })).toHaveCount(0);
  await page.goto('/support-desk');
  await expect(page.getByRole('heading', { level: 1, name: 'Support desk not available' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Find' })).toHaveCount(0);
  await checkPage(page, 'support-desk-not-available');
});

test('when an agent finds a closing merchant by e-mail, then a hold with a reason holds the purge, the export downloads and the holds are released', async ({
  page,
  stack,
}) => {
  const { email } = await verifiedMerchant(stack);
  const merchant = await tokenOf(stack, email);
  const closure = await stack.http.post(
    '/v1/account/closure',
    { password: PASSWORD, acknowledgeWarnings: true, deleteAllData: true },
    merchant.token,
  );
  expect(closure.status).toBe(202);
  const agent = await agentOnDesk(stack, page);
  // The closing steps run in the flow: the desk is opened once it is in its grace period.
  await until(
    async () =>
      (await stack.http.get(`/v1/support/accounts/${merchant.id}/closure`, agent.token)).body.state === 'grace',
  );

  const find = page.getByRole('region', { name: 'Find a merchant' });
  await find.getByLabel("Merchant's e-mail address (exact)").fill(email.toUpperCase());
  await find.getByRole('button', { name: 'Find' }).click();
  const summary = find.getByRole('article', { name: email });
  await expect(summary.getByLabel('State')).toHaveText('Grace period');
  await expect(summary.getByLabel('Recovery holds')).toHaveText('0 holds');
  await expect(summary.getByLabel('E-mail address').getByRole('link', { name: email })).toHaveAttribute(
    'href',
    `mailto:${email}`,
  );
  await expect(summary.getByRole('button', { name: 'Release holds' })).toHaveCount(0);

  // The hold asks for a reason, in a dialog that takes the focus and gives it back on Escape.
  const placeHold = summary.getByRole('button', { name: 'Place recovery hold' });
  await placeHold.click();
  const holdDialog = page.getByRole('dialog', { name: 'Place recovery hold' });
  await expect(holdDialog.getByLabel('Reason')).toBeFocused();
  // In the middle of the screen, not pinned to its left edge.
  const box = (await holdDialog.boundingBox())!;
  expect(Math.abs(box.x + box.width / 2 - page.viewportSize()!.width / 2)).toBeLessThan(2);
  await page.keyboard.press('Escape');
  await expect(holdDialog).toBeHidden();
  await expect(placeHold).toBeFocused();
  await expect(summary.getByLabel('State')).toHaveText('Grace period');
  await page.keyboard.press('Enter');
  await expect(holdDialog.getByLabel('Reason')).toBeFocused();
  await holdDialog.getByRole('button', { name: 'Place hold' }).click();
  await expect(holdDialog.getByRole('alert')).toContainText('Please correct the marked fields.');
  await holdDialog.getByLabel('Reason').fill('Merchant asked for the invoices of 2025 before deletion');
  // The modal as the agent sees it: the viewport, the page dimmed behind it.
  await checkPage(page, 'support-desk-hold-dialog', { fullPage: false });
  await holdDialog.getByRole('button', { name: 'Place hold' }).click();
  await expect(holdDialog).toBeHidden();
  await expect(summary.getByLabel('State')).toHaveText('Held');
  await expect(summary.getByLabel('Recovery holds')).toHaveText('1 hold');
  await expect(summary.getByRole('status')).toHaveText('The recovery hold is placed.');
  const held = await stack.http.get(`/v1/support/accounts/${merchant.id}/closure`, agent.token);
  expect(held.body.state).toBe('held');
  await checkPage(page, 'support-desk-merchant');

  // The export arrives as a file holding the merchant's data.
  const downloading = page.waitForEvent('download');
  await summary.getByRole('button', { name: 'Download data export' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`connectprof-export-${merchant.id}.json`);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(exported.account).toMatchObject({ id: merchant.id, status: 'closed', purgeAt: closure.body.purgeAt });

  // Releasing asks for confirmation; cancelling changes nothing.
  await summary.getByRole('button', { name: 'Release holds' }).click();
  const releaseDialog = page.getByRole('dialog', { name: 'Release holds' });
  await expect(releaseDialog).toContainText('All recovery holds on this account will be released.');
  await releaseDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(releaseDialog).toBeHidden();
  await expect(summary.getByLabel('State')).toHaveText('Held');
  await summary.getByRole('button', { name: 'Release holds' }).click();
  await releaseDialog.getByLabel('Reason').fill('Invoices sent to the merchant');
  await releaseDialog.getByRole('button', { name: 'Release all holds' }).click();
  await expect(summary.getByLabel('State')).toHaveText('Grace period');
  await expect(summary.getByLabel('Recovery holds')).toHaveText('0 holds');
  // Its button went with the holds: the focus lands on the closure's other button, not the page's start.
  await expect(placeHold).toBeFocused();
  expect((await stack.http.get(`/v1/support/accounts/${merchant.id}/closure`, agent.token)).body.state).toBe('grace');
});

test('when an agent takes a request, replies and resolves it, then the merchant sees the reply and the status on their Support page', async ({
  page,
  stack,
}) => {
  const { email } = await verifiedMerchant(stack);
  const merchant = await tokenOf(stack, email);
  expect((await stack.http.patch('/v1/account', PROFILE, merchant.token)).status).toBe(200);
  const subject = `Orders not arriving ${Date.now()}`;
  expect(
    (
      await stack.http.post(
        '/v1/support-requests',
        { subject, message: 'Trendyol orders stopped syncing yesterday.' },
        merchant.token,
      )
    ).status,
  ).toBe(201);
  await agentOnDesk(stack, page);

  const queue = page.getByRole('region', { name: 'Requests' });
  await expect(queue.getByRole('combobox', { name: 'Status' })).toHaveValue('open');
  const request = queue.getByRole('article', { name: subject });
  await expect(request.getByLabel('Name Surname')).toHaveText(PROFILE.fullName);
  await expect(request.getByLabel('Trade Name')).toHaveText(PROFILE.tradeName);
  await expect(request.getByRole('link', { name: '+902125551212' })).toHaveAttribute('href', 'tel:+902125551212');
  await expect(request.getByRole('link', { name: email })).toHaveAttribute('href', `mailto:${email}`);
  await expect(request.getByLabel('Status')).toHaveText('Open');
  await checkPage(page, 'support-desk-requests');

  await request.getByRole('button', { name: 'Take' }).click();
  await expect(request.getByLabel('Status')).toHaveText('In progress');
  await expect(request.getByRole('button', { name: 'Take' })).toHaveCount(0);

  const reply = 'The Trendyol API key had expired; we renewed it and the orders arrive again.';
  const replyBox = request.getByLabel('Reply to the merchant');
  await expect(replyBox).toHaveAttribute('maxlength', '5000');
  await replyBox.fill(reply);
  await request.getByRole('button', { name: 'Send reply' }).click();
  await expect(request.getByRole('status')).toHaveText('The reply is sent.');
  await expect(request.getByRole('list', { name: 'Replies from support' })).toContainText(reply);
  await request.getByRole('button', { name: 'Resolve' }).click();
  await expect(request.getByLabel('Status')).toHaveText('Resolved');
  await expect(request.getByLabel('Reply to the merchant')).toHaveCount(0);
  // The reply went out by mail too.
  await stack.smtp.waitFor((mail) => mail.to === email && mail.text.includes(reply));

  // The filter shows the request among the resolved ones.
  await queue.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Resolved' });
  await expect(queue.getByRole('article', { name: subject }).getByLabel('Status')).toHaveText('Resolved');

  // The merchant signs in and reads the answer.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  // The desk's own e-mail fields are gone once the sign-in page is there.
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await signInOnPage(page, email, PASSWORD);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Support', exact: true }).click();
  const mine = page.getByRole('listitem', { name: subject });
  await expect(mine).toContainText('Resolved');
  await expect(mine.getByRole('list', { name: 'Replies from support' })).toContainText(reply);
  await checkPage(page, 'support-replies');
});

test.describe('in Turkish', () => {
  // A Turkish agent on a Turkish browser: every label, state and message of the desk in Turkish.
  test.use({ locale: 'tr-TR' });

  test('when a Turkish agent finds a closing merchant, holds and releases, and works a request, then the desk speaks Turkish throughout', async ({
    page,
    stack,
  }) => {
    const { email } = await verifiedMerchant(stack, 'tr');
    const merchant = await tokenOf(stack, email);
    expect((await stack.http.patch('/v1/account', { ...PROFILE, language: 'tr' }, merchant.token)).status).toBe(200);
    const subject = `Siparişler gelmiyor ${Date.now()}`;
    const opened = await stack.http.post(
      '/v1/support-requests',
      { subject, message: 'Dünden beri Trendyol siparişleri panele düşmüyor.' },
      merchant.token,
    );
    expect(opened.status).toBe(201);
    const closure = await stack.http.post(
      '/v1/account/closure',
      { password: PASSWORD, acknowledgeWarnings: true, deleteAllData: true },
      merchant.token,
    );
    expect(closure.status).toBe(202);

    const agentAccount = await verifiedMerchant(stack, 'tr');
    const agent = await tokenOf(stack, agentAccount.email);
    await grantRole(stack.database.db, agent.id, 'support');
    await until(
      async () =>
        (await stack.http.get(`/v1/support/accounts/${merchant.id}/closure`, agent.token)).body.state === 'grace',
    );
    await page.goto('/sign-in');
    await signInOnPage(page, agentAccount.email, PASSWORD, {
      email: 'E-posta adresi',
      password: 'Şifre',
      submit: 'Giriş yap',
    });
    await page.getByRole('navigation', { name: 'Ana menü' }).getByRole('link', { name: 'Destek masası' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Destek masası' })).toBeVisible();

    // The request, with the merchant's contact details, taken and answered.
    const queue = page.getByRole('region', { name: 'Talepler' });
    await expect(queue.getByRole('combobox', { name: 'Durum' })).toHaveValue('open');
    const request = queue.getByRole('article', { name: subject });
    await expect(request.getByLabel('Ad Soyad')).toHaveText(PROFILE.fullName);
    await expect(request.getByLabel('Ticari Ünvan')).toHaveText(PROFILE.tradeName);
    await expect(request.getByRole('link', { name: '+902125551212' })).toHaveAttribute('href', 'tel:+902125551212');
    await expect(request.getByLabel('Durum')).toHaveText('Açık');
    await checkPage(page, 'support-desk-requests-tr');
    await request.getByRole('button', { name: 'Üstlen' }).click();
    await expect(request.getByLabel('Durum')).toHaveText('İşlemde');
    await expect(request.getByRole('status')).toHaveText('Talebi üstlendiniz.');
    await request
      .getByLabel('Üye işyerine yanıt')
      .fill('Trendyol API anahtarınızı yeniledik; siparişler yeniden geliyor.');
    await request.getByRole('button', { name: 'Çözüldü olarak işaretle' }).click();
    await expect(request.getByLabel('Durum')).toHaveText('Çözüldü');
    await expect(request.getByRole('status')).toHaveText('Yanıt gönderildi ve talep çözüldü.');
    await expect(request.getByRole('list', { name: 'Destek ekibinin yanıtları' })).toContainText(
      'Trendyol API anahtarınızı yeniledik',
    );

    // The closing merchant: state, purge date, holds; a hold with a reason, then released.
    const find = page.getByRole('region', { name: 'Üye işyeri bul' });
    await find.getByLabel('Üye işyerinin e-posta adresi (tam)').fill(email);
    await find.getByRole('button', { name: 'Bul' }).click();
    const summary = find.getByRole('article', { name: PROFILE.fullName });
    await expect(summary.getByLabel('Durum')).toHaveText('Bekleme süresi');
    await expect(summary.getByLabel('Şehir, ülke')).toHaveText('İstanbul, Türkiye');
    await expect(summary.getByLabel('Silinme tarihi')).toHaveText(
      new Intl.DateTimeFormat('tr', { dateStyle: 'long' }).format(new Date(closure.body.purgeAt)),
    );
    await expect(summary.getByLabel('Kurtarma tutmaları')).toHaveText('0 tutma');
    await summary.getByRole('button', { name: 'Kurtarma tutması koy' }).click();
    const holdDialog = page.getByRole('dialog', { name: 'Kurtarma tutması koy' });
    await expect(holdDialog.getByLabel('Gerekçe')).toBeFocused();
    await holdDialog.getByRole('button', { name: 'Tutma koy' }).click();
    await expect(holdDialog.getByRole('alert')).toBeVisible();
    await holdDialog.getByLabel('Gerekçe').fill('Üye işyeri 2025 faturalarını silinmeden önce istedi');
    await checkPage(page, 'support-desk-hold-dialog-tr', { fullPage: false });
    await holdDialog.getByRole('button', { name: 'Tutma koy' }).click();
    await expect(holdDialog).toBeHidden();
    await expect(summary.getByLabel('Durum')).toHaveText('Beklemede tutuluyor');
    await expect(summary.getByLabel('Kurtarma tutmaları')).toHaveText('1 tutma');
    await expect(summary.getByRole('status')).toHaveText('Kurtarma tutması kondu.');
    await expect(summary.getByRole('button', { name: 'Veri dökümünü indir' })).toBeVisible();
    await checkPage(page, 'support-desk-merchant-tr');
    // The longer Turkish labels and buttons still fit a phone's width.
    await page.setViewportSize(PHONE);
    await expectFitsWidth(page);

    await summary.getByRole('button', { name: 'Tutmaları kaldır' }).click();
    const releaseDialog = page.getByRole('dialog', { name: 'Tutmaları kaldır' });
    await expect(releaseDialog).toContainText('Bu hesaptaki tüm kurtarma tutmaları kaldırılacak.');
    await releaseDialog.getByLabel('Gerekçe').fill('Faturalar gönderildi');
    await releaseDialog.getByRole('button', { name: 'Tüm tutmaları kaldır' }).click();
    await expect(summary.getByLabel('Durum')).toHaveText('Bekleme süresi');
    await expect(summary.getByRole('status')).toHaveText('Kurtarma tutmaları kaldırıldı.');
  });
});
