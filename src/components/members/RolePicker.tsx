import { ChoiceSelect } from "~/components/choice-select";
import { ROLES_HIGHEST_FIRST, type Role } from "~/core/roles";

/** A project role, highest first. */
export function RolePicker(props: { label: string; value: Role; onChange: (role: Role) => void }) {
  return (
    <ChoiceSelect label={props.label} value={props.value} options={ROLES_HIGHEST_FIRST} onChange={props.onChange} />
  );
}
