"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { CreateForm } from "~/components/create-form";
import { errorMessage } from "~/components/error-message";
import { MembersPanel } from "~/components/members/MembersPanel";
import { JobsPanel } from "~/components/jobs/JobsPanel";
import { ModelsPanel } from "~/components/models/ModelsPanel";
import { ProjectSettingsPanel } from "~/components/settings/ProjectSettingsPanel";
import { Sam2ModelsPanel } from "~/components/settings/Sam2ModelsPanel";
import { CollaborationPanels } from "./CollaborationPanels";
import { useTRPC } from "~/trpc/react";

export function ProjectOverview({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const project = useQuery(trpc.project.get.queryOptions({ projectId }));
  const datasets = useQuery(trpc.dataset.list.queryOptions({ projectId }));
  const [datasetName, setDatasetName] = useState("");
  const createDataset = useMutation(
    trpc.dataset.create.mutationOptions({
      onSuccess: () => {
        setDatasetName("");
        void queryClient.invalidateQueries({ queryKey: trpc.dataset.list.queryKey({ projectId }) });
      },
    }),
  );
  const deleteProject = useMutation(trpc.project.delete.mutationOptions({ onSuccess: () => router.push("/projects") }));

  if (project.error) return <p className="error">{errorMessage(project.error)}</p>;
  if (!project.data) return <p className="muted">Loading…</p>;
  const { role, can } = project.data;

  return (
    <>
      <p className="muted">
        <Link href="/projects">Projects</Link> /
      </p>
      <h1>
        {project.data.name} <span className="badge">{role}</span>
      </h1>
      <p>
        <Link href={`/projects/${projectId}/results`} data-testid="results-link">
          Results: table and plots by condition
        </Link>
      </p>
      <section className="panel">
        <h2>Datasets</h2>
        {can.manageDatasets && (
          <CreateForm
            className="row"
            style={{ marginBottom: 12 }}
            label="New dataset name"
            submitText="Create dataset"
            value={datasetName}
            onChange={setDatasetName}
            onCreate={() => createDataset.mutate({ projectId, name: datasetName })}
            pending={createDataset.isPending}
            error={createDataset.error}
          />
        )}
        {datasets.data?.length === 0 && <p className="muted">No datasets yet.</p>}
        <div className="cards" data-testid="dataset-list">
          {datasets.data?.map((dataset) => (
            <Link key={dataset.id} className="card" href={`/projects/${projectId}/datasets/${dataset.id}`}>
              <strong>{dataset.name}</strong>
              <div className="muted">{dataset.imageCount} images</div>
            </Link>
          ))}
        </div>
      </section>
      <MembersPanel projectId={projectId} canManage={can.manageMembers} />
      <JobsPanel projectId={projectId} />
      <ModelsPanel projectId={projectId} />
      <ProjectSettingsPanel projectId={projectId} canEdit={can.manageSettings} />
      <Sam2ModelsPanel projectId={projectId} />
      <CollaborationPanels projectId={projectId} can={can} />
      {can.manageProject && (
        <section className="panel">
          <h2>Danger zone</h2>
          <button
            className="danger"
            disabled={deleteProject.isPending}
            onClick={() => {
              if (window.confirm(`Delete "${project.data.name}" with all its datasets and labels?`)) {
                deleteProject.mutate({ projectId });
              }
            }}
          >
            Delete project
          </button>
          {deleteProject.error && <span className="error"> {errorMessage(deleteProject.error)}</span>}
        </section>
      )}
    </>
  );
}
