import type { CSSProperties } from "react";
import { ItemOptions } from "~/components/choice-select";
import type { LabelClassOption } from "./LabelBar";

/** A label class or none ("no class"), e.g. of a region or of the regions about to be drawn. */
export function LabelClassSelect(props: {
  label: string;
  testId?: string;
  classes: LabelClassOption[];
  value: string | null;
  onChange: (labelClassId: string | null) => void;
  disabled?: boolean;
  style?: CSSProperties;
}) {
  return (
    <select
      aria-label={props.label}
      data-testid={props.testId}
      value={props.value ?? ""}
      disabled={props.disabled}
      onChange={(event) => props.onChange(event.target.value || null)}
      style={props.style}
    >
      <option value="">no class</option>
      <ItemOptions items={props.classes} text={(labelClass) => labelClass.name} />
    </select>
  );
}
