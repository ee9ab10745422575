import { DomainError, defineError } from '../errors.js';

export const EmailTaken = /* @__PURE__ */ defineError('EMAIL_TAKEN', 'An account with this email already exists.');
/** One answer for unknown email, wrong password and deactivated account: nothing to enumerate. */
export const InvalidCredentials = /* @__PURE__ */ defineError('INVALID_CREDENTIALS', 'The email or password is not correct.');
export const InvalidRefreshToken = /* @__PURE__ */ defineError('INVALID_REFRESH_TOKEN', 'This refresh token is not valid any more; sign in again.');
export const TooManyAttempts = (retryAfter: number) =>
  new DomainError('TOO_MANY_ATTEMPTS', 'Too many failed sign-ins for this email; try again later.', { retryAfter });
export const ResetTokenInvalid = () =>
  new DomainError('RESET_TOKEN_INVALID', 'This reset link is invalid, used or expired; ask for a new one.', {
    errors: [{ location: 'body.token', message: 'is invalid, used or expired' }],
  });
export const Unauthenticated = /* @__PURE__ */ defineError('UNAUTHENTICATED', 'Sign in first: send a valid access token as `Authorization: Bearer <token>`.');
export const UserDeactivated = /* @__PURE__ */ defineError('USER_DEACTIVATED', 'This account is deactivated.');
export const SuperuserRequired = /* @__PURE__ */ defineError('SUPERUSER_REQUIRED', 'Only a superuser may do this.');
