import { defineError } from '../errors.js';

export const UserNotFound = defineError('not_found', 'NOT_FOUND', 'No user with that id.');
export const CannotDeactivateSelf = defineError('conflict', 'CANNOT_DEACTIVATE_SELF', 'You cannot deactivate your own account.');
export const CurrentPasswordIncorrect = defineError('invalid', 'CURRENT_PASSWORD_INCORRECT', 'The current password is not correct.');
