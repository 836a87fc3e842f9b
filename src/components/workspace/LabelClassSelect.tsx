import type { CSSProperties } from "react";
import { ChoiceSelect } from "~/components/choice-select";
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
  const names = new Map(props.classes.map((labelClass) => [labelClass.id, labelClass.name]));
  return (
    <ChoiceSelect
      label={props.label}
      testId={props.testId}
      disabled={props.disabled}
      style={props.style}
      value={props.value ?? ""}
      options={[...names.keys()]}
      text={(id) => names.get(id)}
      onChange={(id) => props.onChange(id || null)}
    >
      <option value="">no class</option>
    </ChoiceSelect>
  );
}
