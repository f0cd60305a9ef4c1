// How the officer's form reads badges. The rule is not written here: the
// server renders the root package's constants (outbound.BadgePattern,
// BadgeSeparators, BadgeRule) into the officers field's data attributes,
// so the form and the server read a badge alike (a browser test compares
// them on a table of inputs).

// badgeRules reads the rule the server put on the field.
export function badgeRules(field) {
  const d = field.dataset;
  return { pattern: new RegExp(d.badgePattern), separators: new RegExp(d.badgeSeparators), rule: d.badgeRule };
}

// parseBadges splits what was typed into badges in capitals, without
// empty ones, as outbound.ParseBadges does.
export function parseBadges(text, rules) {
  return text.toUpperCase().split(rules.separators).filter(Boolean);
}

// badgeProblem says what is wrong with the first malformed badge, in the
// server's words, or '' when every one is well formed.
export function badgeProblem(badges, rules) {
  const bad = badges.find(b => !rules.pattern.test(b));
  return bad === undefined ? '' : `Badge "${bad}" must be ${rules.rule}.`;
}
