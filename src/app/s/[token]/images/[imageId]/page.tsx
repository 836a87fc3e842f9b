/** /s/:token/images/:imageId: one image of a dataset share link (404 outside the link's scope). */
import { db } from "~/server/db";
import { getSharedImage } from "~/server/sharing/get-shared-image";
import { loadShared } from "../../load-shared";
import { sharedPageMetadata } from "../../shared-metadata";
import { SharedImagePage } from "../../SharedImagePage";

export const dynamic = "force-dynamic";
export const metadata = sharedPageMetadata;

export default async function SharedImageRoute(props: { params: Promise<{ token: string; imageId: string }> }) {
  const { token, imageId } = await props.params;
  const view = await loadShared(() => getSharedImage({ db, token, imageId }));
  return <SharedImagePage token={token} view={view} />;
}
