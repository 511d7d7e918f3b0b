/**
 * Every kind of event the audit trail records. The panel's Account activity page names each in
 * the merchant's language (web/src/i18n, group activityEvents); a test checks none is missing.
 */
export const AUDIT_EVENT_TYPES = [
  'signup',
  'login',
  'login_failed',
  'logout',
  'session_revoked',
  'sessions_revoked',
  'email_change_requested',
  'email_verified',
  'email_changed',
  'profile_updated',
  'support_request_created',
  'support_account_looked_up',
  'support_requests_viewed',
  'support_request_updated',
  'support_closure_viewed',
  'password_changed',
  'password_reset_requested',
  'password_reset',
  'account_locked',
  'data_exported',
  'email_change_reverted',
  'new_device_sign_in',
  'password_expired',
  'two_factor_enabled',
  'two_factor_disabled',
  'recovery_code_used',
  'recovery_codes_replaced',
  'two_factor_failed',
  'account_closed',
  'account_reactivated',
  'recovery_hold_placed',
  'recovery_hold_released',
  'account_data_exported',
  'account_purged',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
