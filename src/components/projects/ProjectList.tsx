"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
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

  function onCreate(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name });
  }

  return (
    <>
      <h1>Projects</h1>
      <form className="panel row" onSubmit={onCreate}>
        <input
          aria-label="New project name"
          placeholder="New project name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <button className="primary" type="submit" disabled={create.isPending}>
          Create project
        </button>
        {create.error && <span className="error">{errorMessage(create.error)}</span>}
      </form>
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
