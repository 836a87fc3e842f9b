/**
 * The grid's "Set condition" form as a tag, pure so it is tested without a browser.
 */
import { tagFromText } from "~/core/conditions/path-pattern";
import { tagKeySchema, tagValueSchema, type TagValue } from "~/core/conditions/tags";

/** The tag the form describes, or why not: a unit makes the value a number. */
export function tagFromForm(
  form: { key: string; value: string; unit: string },
  unitHint = "",
): TagValue | { error: string } {
  // A bare number for a key whose values share a unit takes that unit (shown as the placeholder).
  const bareNumber = /^[-+]?\d+(?:[.,]\d+)?$/.test(form.value.trim());
  const fields = { ...form, unit: form.unit.trim() === "" && bareNumber ? unitHint : form.unit };
  const key = tagKeySchema.safeParse(fields.key);
  if (!key.success) return { error: key.error.issues[0]?.message ?? "Name the condition." };
  if (fields.unit.trim() === "") {
    const tag = tagFromText(key.data, fields.value.trim());
    return "error" in tag ? { error: tag.error.replace(/^\{[^}]*\} = "[^"]*": /, "") } : tag;
  }
  const number = Number(fields.value.trim().replace(",", "."));
  if (fields.value.trim() === "" || !Number.isFinite(number)) return { error: "A value with a unit must be a number." };
  const parsed = tagValueSchema.safeParse({ key: key.data, value: number, unit: fields.unit });
  return parsed.success ? parsed.data : { error: parsed.error.issues[0]?.message ?? "Invalid condition." };
}
