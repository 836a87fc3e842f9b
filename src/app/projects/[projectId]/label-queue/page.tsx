import { redirect } from "next/navigation";
import { LabelQueue } from "~/components/models/LabelQueue";
import { auth } from "~/server/auth";

export default async function LabelQueuePage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<{ datasetId?: string | string[] }>;
}) {
  if (!(await auth())) redirect("/sign-in");
  const { projectId } = await params;
  const { datasetId } = await searchParams;
  return <LabelQueue projectId={projectId} initialDatasetId={typeof datasetId === "string" ? datasetId : undefined} />;
}
