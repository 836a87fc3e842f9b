import { redirect } from "next/navigation";
import { ResultsView } from "~/components/results/ResultsView";
import { auth } from "~/server/auth";

export default async function ResultsPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<{ datasetId?: string | string[] }>;
}) {
  if (!(await auth())) redirect("/sign-in");
  const { projectId } = await params;
  const { datasetId } = await searchParams;
  return <ResultsView projectId={projectId} initialDatasetId={typeof datasetId === "string" ? datasetId : undefined} />;
}
