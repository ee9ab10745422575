// What an entity may declare about its own changes beyond the engine's rules, as `changeRules` on
// its definition: fields held in place while something is in it (a container's location while
// rows are in it), fields that may not go below another (a row's quantity below what is on loan).
// Each refuses at once from what was read, and says what its write must hold at commit. Declared
// by the entities that need them, so other entities' writes do not carry this code.
import { DomainError } from '../errors.js';
import type { ChangeRules, FixedRule, FloorRule } from './model.js';

/** `fixedWhile`: a changed field held in place while a counter is above zero: refused now if their counter is above zero, and checked again at commit. */
export const fixedWhile = (fixed: readonly FixedRule[]): ChangeRules => (current, next) => {
  const rules = fixed.filter((rule) => current[rule.field] !== next[rule.field]);
  for (const rule of rules) {
    if (Number(current[rule.counter] ?? 0) > 0) {
      throw new DomainError(rule.code, rule.message, { errors: [{ location: `body.${rule.field}`, message: 'cannot change now' }] });
    }
  }
  return { zero: rules.map((rule) => rule.counter) };
};

/** `floors`: a field a change lowers may not go below another attribute: refused now if it would go below, and checked again at commit. */
export const floors = (rules: readonly FloorRule[]): ChangeRules => (current, next) => {
  const lowered = rules.filter((rule) => next[rule.field] !== current[rule.field]);
  for (const rule of lowered) {
    if (Number(next[rule.field] ?? 0) < Number(current[rule.atLeast] ?? 0)) {
      throw new DomainError(rule.code, rule.message, { errors: [{ location: `body.${rule.field}`, message: `is below ${Number(current[rule.atLeast])}` }] });
    }
  }
  return { atMost: lowered.map((rule) => ({ field: rule.atLeast, value: Number(next[rule.field] ?? 0) })) };
};

/** Several rules on one entity: each refuses on its own, and the write must hold what all of them say. */
export const allOf = (...rules: readonly ChangeRules[]): ChangeRules => (current, next) => {
  const held = rules.map((rule) => rule(current, next));
  return { zero: held.flatMap((one) => one.zero ?? []), atMost: held.flatMap((one) => one.atMost ?? []) };
};
