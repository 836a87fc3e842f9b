"use client";

import { ActivityPanel } from "~/components/activity/ActivityPanel";
import { ExportsPanel } from "~/components/exports/ExportsPanel";
import { InvitationsPanel } from "~/components/invitations/InvitationsPanel";
import { ShareLinksPanel } from "~/components/sharing/ShareLinksPanel";
import type { ProjectCan } from "./use-project-can";

/** The project page's collaboration section, each panel shown to those the server lets use it. */
export function CollaborationPanels({ projectId, can }: { projectId: string; can: ProjectCan }) {
  return (
    <>
      {can.manageMembers && <InvitationsPanel projectId={projectId} />}
      {can.share && <ShareLinksPanel projectId={projectId} />}
      {can.export && <ExportsPanel projectId={projectId} canImport={can.importAnnotations} />}
      <ActivityPanel projectId={projectId} />
    </>
  );
}
