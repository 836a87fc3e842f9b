import { redirect } from "next/navigation";
import { DatasetView } from "~/components/datasets/DatasetView";
import { auth } from "~/server/auth";

export default async function DatasetPage({ params }: { params: Promise<{ projectId: string; datasetId: string }> }) {
  if (!(await auth())) redirect("/sign-in");
  const { projectId, datasetId } = await params;
  return <DatasetView projectId={projectId} datasetId={datasetId} />;
}
