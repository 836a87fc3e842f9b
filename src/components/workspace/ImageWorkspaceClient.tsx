"use client";

import dynamic from "next/dynamic";

/** Konva needs a browser: the workspace renders on the client only. */
export const ImageWorkspaceClient = dynamic(() => import("./ImageWorkspace").then((module) => module.ImageWorkspace), {
  ssr: false,
  loading: () => <p className="muted">Loading the workspace…</p>,
});
