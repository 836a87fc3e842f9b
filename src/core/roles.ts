/**
 * Project roles and what each may do: the one table both the server (permission checks) and the
 * UI (which buttons to show) read. Roles are ordered; a higher role has every capability of the
 * lower ones.
 */

/** Lowest first. The order is the rank. */
export const ROLES = ["VIEWER", "ANNOTATOR", "EDITOR", "OWNER"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_RANK: Readonly<Record<Role, number>> = { VIEWER: 0, ANNOTATOR: 1, EDITOR: 2, OWNER: 3 };

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Highest first, for pickers and member lists. */
export const ROLES_HIGHEST_FIRST: readonly Role[] = [...ROLES].reverse();

export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  VIEWER: "sees images, analyses and annotations",
  ANNOTATOR: "also labels images and draws regions",
  EDITOR: "also uploads, runs jobs, retrains, exports and shares links",
  OWNER: "also manages members, invitations and the project itself",
};

/**
 * Each capability the UI can ask about, with the least role that has it. The tRPC procedures
 * and route handlers declare the same minimum roles; src/server/api/__tests__/capabilities.int.test.ts checks them.
 */
export const CAPABILITY_MINIMUM_ROLE = {
  view: "VIEWER",
  annotate: "ANNOTATOR",
  analyse: "ANNOTATOR",
  setScale: "EDITOR",
  manageSettings: "EDITOR",
  upload: "EDITOR",
  manageDatasets: "EDITOR",
  editConditions: "EDITOR",
  manageLabelClasses: "EDITOR",
  manageJobs: "EDITOR",
  manageModels: "EDITOR",
  share: "EDITOR",
  export: "VIEWER",
  importAnnotations: "EDITOR",
  manageMembers: "OWNER",
  manageProject: "OWNER",
} as const satisfies Record<string, Role>;

export type Capability = keyof typeof CAPABILITY_MINIMUM_ROLE;
export type Capabilities = Readonly<Record<Capability, boolean>>;

/** What a member with `role` may do in the project (null: not a member, nothing). */
export function capabilitiesOf(role: Role | null): Capabilities {
  const entries = Object.entries(CAPABILITY_MINIMUM_ROLE) as [Capability, Role][];
  return Object.fromEntries(
    entries.map(([capability, minimum]) => [capability, role !== null && roleAtLeast(role, minimum)]),
  ) as Record<Capability, boolean>;
}
