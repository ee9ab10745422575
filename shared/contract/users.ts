// Users: the signed-in user's own account, and superuser administration.
import * as z from 'zod/mini';
import { document, route } from './route.js';
import { EmailOut, entityMeta, example, IdOut, named, pageOf, PageQuery, Uuid } from './common.js';
import { emailText, nameText, secretText } from './text.js';

export const dateFormats = ['YYYY-MM-DD', 'DD.MM.YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export const languages = ['en', 'fi', 'et', 'sv', 'de', 'fr', 'es', 'ru'] as const;
export const themes = ['system', 'light', 'dark'] as const;

export const Email = /* @__PURE__ */ emailText();
export const Password = /* @__PURE__ */ secretText({ min: 8, max: 128 });
export const FullName = /* @__PURE__ */ nameText(100);

export const userExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b', email: 'ada@example.com', full_name: 'Ada Lovelace',
  date_format: 'YYYY-MM-DD', language: 'en', theme: 'system', is_superuser: false,
  created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};

export const User = /* @__PURE__ */ named('User', z.object({
  id: IdOut,
  email: EmailOut,
  full_name: z.string(),
  date_format: z.string(),
  language: z.string(),
  theme: z.string(),
  is_superuser: z.boolean(),
  ...entityMeta,
}), 'A user as they see themselves.');
DOCS: example(User, userExample);

export const UserAdmin = /* @__PURE__ */ named('UserAdmin', z.object({
  ...User.def.shape,
  is_active: z.boolean(),
}), 'A user as a superuser sees them.');
DOCS: example(UserAdmin, { ...userExample, is_active: true });

const UserParams = /* @__PURE__ */ z.object({ id: Uuid });

export const getMe = /* @__PURE__ */ route({
  id: 'getMe', method: 'GET', path: '/users/me', domain: 'users', access: 'user',
  summary: 'The signed-in user', response: User, status: 200,
});
DOCS: document(getMe, { response: userExample });

export const updateMe = /* @__PURE__ */ route({
  id: 'updateMe', method: 'PATCH', path: '/users/me', domain: 'users', access: 'user',
  summary: 'Change the signed-in user\'s name', conditional: true, body: z.strictObject({ full_name: z.optional(FullName) }),
  response: User, status: 200,
});
DOCS: document(updateMe, { body: { full_name: 'Ada King' }, response: { ...userExample, full_name: 'Ada King', version: 2 } });

export const changePassword = /* @__PURE__ */ route({
  id: 'changePassword', method: 'PATCH', path: '/users/me/password', domain: 'users', access: 'user',
  summary: 'Change the password (signs out every other session)', conditional: true,
  body: z.strictObject({ current_password: secretText({ max: 128 }), new_password: Password }),
  status: 204, errors: ['CURRENT_PASSWORD_INCORRECT'],
});
DOCS: document(changePassword, { body: { current_password: 'old secret 1', new_password: 'a longer new secret' } });

export const updatePreferences = /* @__PURE__ */ route({
  id: 'updatePreferences', method: 'PATCH', path: '/users/me/preferences', domain: 'users', access: 'user',
  summary: 'Change display preferences', conditional: true,
  body: z.strictObject({ date_format: z.optional(z.enum(dateFormats)), language: z.optional(z.enum(languages)), theme: z.optional(z.enum(themes)) }),
  response: User, status: 200,
});
DOCS: document(updatePreferences, { body: { theme: 'dark', language: 'fi' } });

export const listUsers = /* @__PURE__ */ route({
  id: 'listUsers', method: 'GET', path: '/users', domain: 'users', access: 'superuser',
  summary: 'Every user, newest first (superusers only)', query: PageQuery, response: pageOf(UserAdmin), status: 200,
});

export const getUser = /* @__PURE__ */ route({
  id: 'getUser', method: 'GET', path: '/users/{id}', domain: 'users', access: 'superuser',
  summary: 'One user (superusers only)', params: UserParams, response: UserAdmin, status: 200, errors: ['NOT_FOUND'],
});

export const deactivateUser = /* @__PURE__ */ route({
  id: 'deactivateUser', method: 'POST', path: '/users/{id}/deactivate', domain: 'users', access: 'superuser',
  summary: 'Deactivate a user: their next request and refresh are refused', params: UserParams, status: 204, conditional: true,
  errors: ['NOT_FOUND', 'CANNOT_DEACTIVATE_SELF'],
});

export const activateUser = /* @__PURE__ */ route({
  id: 'activateUser', method: 'POST', path: '/users/{id}/activate', domain: 'users', access: 'superuser',
  summary: 'Activate a user again', params: UserParams, status: 204, errors: ['NOT_FOUND'], conditional: true,
});
