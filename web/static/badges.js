// How the officer's form reads badges. The rule is not written here: it
// comes from the rule table (rules.json, written from the root package's
// BadgePattern, BadgeSeparators and BadgeRule), so the form and the server
// read a badge alike (a browser test compares them on a table of inputs).

// badgeRules reads the badge rule out of the rule table.
export function badgeRules(rules) {
  const b = rules.badge;
  return { pattern: new RegExp(b.pattern), separators: new RegExp(b.separators), rule: b.rule };
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
