"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { CreateForm } from "~/components/create-form";
import { errorMessage } from "~/components/error-message";
import { useTRPC } from "~/trpc/react";

export function ProjectList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const projects = useQuery(trpc.project.list.queryOptions());
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.project.create.mutationOptions({
      onSuccess: () => {
        setName("");
        void queryClient.invalidateQueries({ queryKey: trpc.project.list.queryKey() });
      },
    }),
  );

  return (
    <>
      <h1>Projects</h1>
      <CreateForm
        className="panel row"
        label="New project name"
        submitText="Create project"
        value={name}
        onChange={setName}
        onCreate={() => create.mutate({ name })}
        pending={create.isPending}
        error={create.error}
      />
      {projects.isPending && <p className="muted">Loading…</p>}
      {projects.error && <p className="error">{errorMessage(projects.error)}</p>}
      {projects.data?.length === 0 && <p className="muted">No projects yet: create one above.</p>}
      <div className="cards" data-testid="project-list">
        {projects.data?.map((project) => (
          <Link key={project.id} className="card" href={`/projects/${project.id}`}>
            <strong>{project.name}</strong> <span className="badge">{project.role}</span>
            <div className="muted">
              {project.datasetCount} datasets · {project.imageCount} images · {project.memberCount} members
            </div>
          </Link>
        ))}
      </div>
    </>
  );
}
