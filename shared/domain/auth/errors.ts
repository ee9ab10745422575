import { DomainError, defineError } from '../errors.js';

export const EmailTaken = defineError('conflict', 'EMAIL_TAKEN', 'An account with this email already exists.');
/** One answer for unknown email, wrong password and deactivated account: nothing to enumerate. */
export const InvalidCredentials = defineError('unauthenticated', 'INVALID_CREDENTIALS', 'The email or password is not correct.');
export const InvalidRefreshToken = defineError('unauthenticated', 'INVALID_REFRESH_TOKEN', 'This refresh token is not valid any more; sign in again.');
export const TooManyAttempts = (retryAfter: number) =>
  new DomainError('too_many_requests', 'TOO_MANY_ATTEMPTS', 'Too many failed sign-ins for this email; try again later.', { retryAfter });
export const ResetTokenInvalid = () =>
  new DomainError('invalid', 'RESET_TOKEN_INVALID', 'This reset link is invalid, used or expired; ask for a new one.', {
    errors: [{ location: 'body.token', message: 'is invalid, used or expired' }],
  });
export const Unauthenticated = defineError('unauthenticated', 'UNAUTHENTICATED', 'Sign in first: send a valid access token as `Authorization: Bearer <token>`.');
export const UserDeactivated = defineError('unauthenticated', 'USER_DEACTIVATED', 'This account is deactivated.');
export const SuperuserRequired = defineError('forbidden', 'SUPERUSER_REQUIRED', 'Only a superuser may do this.');
