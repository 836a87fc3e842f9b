/**
 * A sentence for one audit event ("labelled 3 images", "drew a polygon"). Only the action and a
 * few counts from `data` are used: the activity log tells members what happened, it does not
 * replay the raw audit payload.
 */
type Data = Record<string, unknown>;

const count = (value: unknown): number | null => (Array.isArray(value) ? value.length : null);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const text = (value: unknown): string | null =>
  typeof value === "string" && value.length <= 200 ? value : null;

const DESCRIBE: Record<string, (data: Data) => string> = {
  "project.create": () => "created the project",
  "project.update": () => "renamed or described the project",
  "member.add": (d) => `added a member as ${text(d.role) ?? "member"}`,
  "member.role": (d) => `changed a member's role to ${text(d.role) ?? "another role"}`,
  "member.remove": () => "removed a member",
  "member.leave": () => "left the project",
  "invitation.create": (d) => `created an invitation link for ${text(d.role) ?? "a role"}`,
  "invitation.revoke": () => "revoked an invitation link",
  "invitation.accept": (d) => `joined the project as ${text(d.role) ?? "member"}`,
  "dataset.create": (d) => `created the dataset ${text(d.name) ? `"${text(d.name)}"` : ""}`.trim(),
  "dataset.delete": () => "deleted a dataset",
  "image.upload": () => "uploaded an image",
  "image.delete": () => "deleted an image",
  "labelClass.create": (d) => `added the class ${text(d.name) ? `"${text(d.name)}"` : ""}`.trim(),
  "labelClass.update": (d) => `edited the class ${text(d.name) ? `"${text(d.name)}"` : ""}`.trim(),
  "labelClass.delete": () => "deleted a label class",
  "imageLabel.set": (d) => `labelled ${plural(count(d.imageIds) ?? 1, "image")}`,
  "imageLabel.clear": (d) => `cleared the label of ${plural(count(d.imageIds) ?? 1, "image")}`,
  "region.create": (d) => `drew a ${text(d.kind) ?? "region"}`,
  "region.update": () => "edited a region",
  "region.delete": () => "deleted a region",
  "annotations.import": (d) =>
    `imported ${plural(typeof d.regions === "number" ? d.regions : 0, "region")} from COCO`,
  "analysis.run": () => "analysed an image",
  "job.start": () => "started a dataset analysis",
  "job.cancel": () => "cancelled a job",
  "job.retry-failed": () => "retried failed items of a job",
  "share.create": (d) => {
    const scope = d.scope as { kind?: unknown } | undefined;
    return `created a share link to ${scope?.kind === "image" ? "an image" : "a dataset"}`;
  },
  "share.revoke": () => "revoked a share link",
};

export function describeActivity(action: string, data: unknown): string {
  const describe = DESCRIBE[action];
  const record = typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Data) : {};
  return describe ? describe(record) : action;
}
