/** Emails are compared lower-cased and trimmed, as accounts store them. */
export function normalizeInvitationEmail(email: string): string {
  return email.trim().toLowerCase();
}
