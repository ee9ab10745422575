import { defineError } from '../errors.js';

export const UserNotFound = defineError('NOT_FOUND', 'No user with that id.');
export const CannotDeactivateSelf = defineError('CANNOT_DEACTIVATE_SELF', 'You cannot deactivate your own account.');
export const CurrentPasswordIncorrect = defineError('CURRENT_PASSWORD_INCORRECT', 'The current password is not correct.');
