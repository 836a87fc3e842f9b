"use client";

import { ActivityPanel } from "~/components/activity/ActivityPanel";
import { ExportsPanel } from "./ExportsPanel";
import { InvitationsPanel } from "./InvitationsPanel";
import { ShareLinksPanel } from "./ShareLinksPanel";

type Role = "OWNER" | "EDITOR" | "ANNOTATOR" | "VIEWER";

/** The project page's collaboration section, each panel shown to the roles that may use it. */
export function CollaborationPanels({ projectId, role }: { projectId: string; role: Role }) {
  const isEditor = role === "OWNER" || role === "EDITOR";
  return (
    <>
      {role === "OWNER" && <InvitationsPanel projectId={projectId} />}
      {isEditor && <ShareLinksPanel projectId={projectId} />}
      <ExportsPanel projectId={projectId} canImport={isEditor} />
      <ActivityPanel projectId={projectId} />
    </>
  );
}
