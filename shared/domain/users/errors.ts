import { defineError } from '../errors.js';

export const UserNotFound = /* @__PURE__ */ defineError('NOT_FOUND', 'No user with that id.');
export const CannotDeactivateSelf = /* @__PURE__ */ defineError('CANNOT_DEACTIVATE_SELF', 'You cannot deactivate your own account.');
export const CurrentPasswordIncorrect = /* @__PURE__ */ defineError('CURRENT_PASSWORD_INCORRECT', 'The current password is not correct.');
