"use client";

import { LiveChangesFeed } from "~/components/activity/LiveChangesFeed";
import { PresenceAvatars } from "./PresenceAvatars";

/** Live updates plus, on an image page, who else is looking: the one thing pages mount. */
export function CollaborationBar(props: { projectId: string; datasetId?: string; imageId?: string }) {
  return (
    <div
      className="row"
      style={{ justifyContent: "space-between", minHeight: 28, margin: "4px 0" }}
      data-testid="collaboration-bar"
    >
      <LiveChangesFeed {...props} />
      {props.imageId && <PresenceAvatars projectId={props.projectId} imageId={props.imageId} />}
    </div>
  );
}
