import { api } from '../../../lib/api';

export interface TotpEnrolment {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return api.post<void>('/api/v1/me/password', { current_password: currentPassword, new_password: newPassword });
}

export function startTotp(): Promise<TotpEnrolment> {
  return api.post<TotpEnrolment>('/api/v1/me/totp');
}

export function confirmTotp(code: string): Promise<{ recovery_codes: string[] }> {
  return api.post<{ recovery_codes: string[] }>('/api/v1/me/totp/confirm', { code });
}

/** Switching the second factor off needs the password and a current code or a recovery code. */
export function disableTotp(password: string, code: string): Promise<void> {
  return api.del<void>('/api/v1/me/totp', { password, code });
}
