import { expect, test } from './fixtures';
import { signedInMerchant } from './merchant';

test('when both new password fields are empty, then "both new passwords the same" is not met until they hold the same password', async ({
  page,
  stack,
}) => {
  await signedInMerchant(page, stack);
  const section = page.getByRole('region', { name: 'Password Change' });
  const rule = section
    .getByRole('list', { name: 'Your password must have' })
    .getByRole('listitem')
    .filter({ hasText: 'both new passwords the same' });
  const newPassword = section.getByLabel('New Password', { exact: true });
  const again = section.getByLabel('New Password (again)');

  await expect(rule).toContainText('not met');
  await newPassword.fill('N3w&Better!');
  await expect(rule).toContainText('not met');
  await again.fill('N3w&Better!');
  await expect(rule).toContainText(': met');
  await expect(rule).not.toContainText('not met');
  await newPassword.fill('');
  await again.fill('');
  await expect(rule).toContainText('not met');

  // Sending two empty fields flags the repetition too, as the server would.
  await section.getByRole('button', { name: 'Change Password' }).click();
  await expect(again).toHaveAttribute('aria-invalid', 'true');
});
