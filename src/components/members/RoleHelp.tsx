import { ROLE_DESCRIPTIONS, ROLES_HIGHEST_FIRST } from "~/core/roles";

/** What each role may do, next to a role picker (one wording, from ~/core/roles). */
export function RoleHelp() {
  return (
    <ul className="muted" style={{ fontSize: "0.8rem", margin: "8px 0 0", paddingLeft: 18 }}>
      {ROLES_HIGHEST_FIRST.map((role) => (
        <li key={role}>
          <strong>{role}</strong>: {ROLE_DESCRIPTIONS[role]}
        </li>
      ))}
    </ul>
  );
}
