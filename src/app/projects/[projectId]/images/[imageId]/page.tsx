import { redirect } from "next/navigation";
import { ImageWorkspaceClient } from "~/components/workspace/ImageWorkspaceClient";
import { auth } from "~/server/auth";

export default async function ImagePage({ params }: { params: Promise<{ projectId: string; imageId: string }> }) {
  if (!(await auth())) redirect("/sign-in");
  const { projectId, imageId } = await params;
  return <ImageWorkspaceClient projectId={projectId} imageId={imageId} />;
}
