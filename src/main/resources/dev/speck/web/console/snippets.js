// The email open pixel's recipient and message placeholders, rewritten in the browser.

export const MERGE_TAGS = [
  ['{{ recipient }}', '{{ recipient }} (Liquid, Handlebars, most ESPs)'],
  ['*|UNIQID|*', '*|UNIQID|* (Mailchimp)'],
  ['custom', 'Custom…'],
];

// Only what would end the attribute or the parameter is escaped: a merge tag must stay
// literal (spaces and braces included) for the email service to replace it.
const escapeTag = (tag) => tag.replace(/["<>&#]/g, (c) => encodeURIComponent(c));

/**
 * The email open snippet with rcpt= set to the merge tag, m= to the message name and, in the signed
 * snippet, sig= to the merge tag of the recipient's signature.
 */
export function emailSnippet(snippet, mergeTag, message, sigTag) {
  let out = snippet.replace(/([?&]rcpt=)[^"&]*/, (_, head) => head + escapeTag(mergeTag));
  if (message) {
    out = out.replace(/([?&]m=)[^"&]*/, (_, head) => head + encodeURIComponent(message));
  }
  if (sigTag) {
    out = out.replace(/([?&]sig=)[^"&]*/, (_, head) => head + escapeTag(sigTag));
  }
  return out;
}
