/**
 * A sentence for one audit event ("labelled 3 images", "drew a polygon"). Only the action and a
 * few counts from `data` are used: the activity log tells members what happened, it does not
 * replay the raw audit payload.
 */
import { isAuditAction, type AuditAction } from "~/server/audit/audit-actions";
import type { JobType } from "~/server/jobs/definitions";

type Data = Record<string, unknown>;

const count = (value: unknown): number | null => (Array.isArray(value) ? value.length : null);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const text = (value: unknown): string | null => (typeof value === "string" && value.length <= 200 ? value : null);
const quoted = (prefix: string, value: unknown): string => (text(value) ? `${prefix} "${text(value)}"` : prefix);

/**
 * What starting each kind of job means to a member. Dead-letter queues and the per-image items of
 * SAM 2 runs are never the type of a run (nobody starts them), so they have no sentence.
 */
const JOB_STARTS: Record<Exclude<JobType, "analyse-image-gave-up" | "sam2-image" | "sam2-image-gave-up">, string> = {
  "analyse-dataset": "started a dataset analysis",
  "analyse-image": "started an image analysis",
  export: "started an export",
  "import-coco": "started a COCO import",
  "retrain-model": "started retraining",
  "sam2-embed": "started preparing SAM 2",
  "sam2-generate": "started SAM 2 automatic masks",
};

function describeJobStart(type: unknown): string {
  return typeof type === "string" && Object.hasOwn(JOB_STARTS, type)
    ? JOB_STARTS[type as keyof typeof JOB_STARTS]
    : "started a job";
}

/** "an image", or "the images of a dataset (12 images)" for a change made to a whole dataset. */
function imagesChanged(d: Data): string {
  return d.kind === "dataset"
    ? `the images of a dataset (${plural(typeof d.images === "number" ? d.images : 0, "image")})`
    : "an image";
}

function describeAnalysedAreaChange(d: Data): string {
  const where = imagesChanged(d);
  const area = d.analysedArea as { x?: unknown; y?: unknown; width?: unknown; height?: unknown } | null | undefined;
  const rectangle =
    area && [area.x, area.y, area.width, area.height].every((value) => typeof value === "number")
      ? `${String(area.width)} × ${String(area.height)} px at (${String(area.x)}, ${String(area.y)})`
      : null;
  if (d.change === "detect") {
    return rectangle ? `detected the analysed area of ${where}: ${rectangle}` : `found no data bar in ${where}`;
  }
  return rectangle
    ? `set the analysed area of ${where} to ${rectangle}`
    : `reset the analysed area of ${where} to the whole image`;
}

/** "set capacity = 8 mAh and removed cycles on 3 images". */
function describeTagChange(d: Data): string {
  const set = Array.isArray(d.set) ? (d.set as { key?: unknown; value?: unknown; unit?: unknown }[]) : [];
  const setText = set
    .filter((tag) => text(tag.key) && (typeof tag.value === "number" || text(tag.value)))
    .map((tag) => `${text(tag.key)} = ${String(tag.value)}${text(tag.unit) ? ` ${text(tag.unit)}` : ""}`);
  const removed = Array.isArray(d.remove) ? d.remove.flatMap((key) => (text(key) ? [text(key)!] : [])) : [];
  const parts = [
    ...(setText.length > 0 ? [`set ${setText.join(", ")}`] : []),
    ...(removed.length > 0 ? [`removed ${removed.join(", ")}`] : []),
  ];
  const images = plural(typeof d.images === "number" ? d.images : (count(d.imageIds) ?? 1), "image");
  return `${parts.length > 0 ? parts.join(" and ") : "changed the conditions"} on ${images}`;
}

/** Typed by the list of actions: an action without a sentence is a type error. */
const DESCRIBE: Record<AuditAction, (data: Data) => string> = {
  "project.create": () => "created the project",
  "project.update": () => "renamed or described the project",
  // Written before members were only invited (kept: audit rows keep their action forever).
  "member.add": (d) => `added a member as ${text(d.role) ?? "member"}`,
  "member.role": (d) => `changed a member's role to ${text(d.role) ?? "another role"}`,
  "member.remove": () => "removed a member",
  "member.leave": () => "left the project",
  "invitation.create": (d) =>
    d.addressed === true
      ? `invited someone by email as ${text(d.role) ?? "member"}`
      : `created an invitation link for ${text(d.role) ?? "a role"}`,
  "invitation.revoke": () => "revoked an invitation link",
  "invitation.accept": (d) => `joined the project as ${text(d.role) ?? "member"}`,
  "invitation.decline": () => "declined an invitation",
  "dataset.create": (d) => quoted("created the dataset", d.name),
  "dataset.delete": (d) => quoted("deleted the dataset", d.name),
  "dataset.rename": (d) => quoted("renamed a dataset to", d.name),
  "image.upload": () => "uploaded an image",
  "image.delete": () => "deleted an image",
  "imageTags.set": (d) => describeTagChange(d),
  "image.rename": (d) => quoted("renamed an image to", d.fileName),
  "images.move": (d) =>
    `moved ${plural(count(d.imageIds) ?? 0, "image")}${text(d.toDatasetName) ? ` to "${text(d.toDatasetName)}"` : ""}`,
  "images.delete": (d) => `deleted ${plural(count(d.imageIds) ?? 0, "image")}`,
  "labelClass.create": (d) => quoted("added the class", d.name),
  "labelClass.update": (d) => quoted("edited the class", d.name),
  "labelClass.delete": (d) => quoted("deleted the class", d.name),
  "imageLabel.set": (d) => `labelled ${plural(count(d.imageIds) ?? 1, "image")}`,
  "imageLabel.clear": (d) => `cleared the label of ${plural(count(d.imageIds) ?? 1, "image")}`,
  "region.create": (d) => `drew a ${text(d.kind) ?? "region"}`,
  "region.update": () => "edited a region",
  "region.delete": () => "deleted a region",
  "annotations.import": (d) => `imported ${plural(typeof d.regions === "number" ? d.regions : 0, "region")} from COCO`,
  "analysis.run": () => "analysed an image",
  "objects.run": (d) =>
    typeof d.count === "number"
      ? `segmented ${plural(d.count, "object")} in an image`
      : "segmented the objects of an image",
  "scale.set": (d) => {
    const pixelSize = d.pixelSize as { value?: unknown; unit?: unknown } | null | undefined;
    const where = imagesChanged(d);
    return pixelSize && typeof pixelSize.value === "number" && text(pixelSize.unit)
      ? `set the pixel size of ${where} to ${pixelSize.value} ${text(pixelSize.unit)}`
      : `cleared the pixel size of ${where}`;
  },
  "image.analysedArea": (d) => describeAnalysedAreaChange(d),
  "settings.save": (d) =>
    typeof d.version === "number"
      ? `saved the analysis settings as version ${d.version}`
      : "saved the analysis settings",
  "job.start": (d) => describeJobStart(d.type),
  "job.cancel": () => "cancelled a job",
  "job.retry-failed": () => "retried failed items of a job",
  "model-version.create": (d) => quoted("trained the model version", d.name),
  "model-version.delete": (d) => quoted("deleted the model version", d.name),
  "share.create": (d) => {
    const scope = d.scope as { kind?: unknown } | undefined;
    return `created a share link to ${scope?.kind === "image" ? "an image" : "a dataset"}`;
  },
  "share.revoke": () => "revoked a share link",
};

/** The sentence for an audit row; an action this version does not know is shown as it is. */
export function describeActivity(action: string, data: unknown): string {
  const record = typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Data) : {};
  return isAuditAction(action) ? DESCRIBE[action](record) : action;
}
