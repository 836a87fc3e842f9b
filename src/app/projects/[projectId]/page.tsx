import { redirect } from "next/navigation";
import { ProjectOverview } from "~/components/projects/ProjectOverview";
import { auth } from "~/server/auth";

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  if (!(await auth())) redirect("/sign-in");
  const { projectId } = await params;
  return <ProjectOverview projectId={projectId} />;
}
