/**
 * THE list of audit actions: every `AuditEvent.action` the application writes. `recordChange`
 * accepts only these, and the activity log has to describe each of them (its description table
 * is typed `Record<AuditAction, …>`), so a new action without a sentence does not compile.
 *
 * Persisted names: rows keep their action forever, so add new names instead of renaming old ones.
 */
export const AUDIT_ACTIONS = [
  "project.create",
  "project.update",
  "member.add",
  "member.role",
  "member.remove",
  "member.leave",
  "invitation.create",
  "invitation.revoke",
  "invitation.accept",
  "invitation.decline",
  "dataset.create",
  "dataset.delete",
  "dataset.rename",
  "image.upload",
  "image.delete",
  "imageTags.set",
  "image.rename",
  "images.move",
  "images.delete",
  "labelClass.create",
  "labelClass.update",
  "labelClass.delete",
  "imageLabel.set",
  "imageLabel.clear",
  "region.create",
  "region.update",
  "region.delete",
  "annotations.import",
  "analysis.run",
  "objects.run",
  "scale.set",
  "image.analysedArea",
  "settings.save",
  "job.start",
  "job.cancel",
  "job.retry-failed",
  "model-version.create",
  "model-version.delete",
  "share.create",
  "share.revoke",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

/** True for an action of the list (rows read back from the database are plain strings). */
export function isAuditAction(action: string): action is AuditAction {
  return KNOWN_ACTIONS.has(action);
}
