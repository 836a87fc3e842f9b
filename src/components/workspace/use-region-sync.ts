"use client";

import { TRPCClientError } from "@trpc/client";
import { useCallback, useEffect, useRef, useState } from "react";
import { newLocalKey, type AnnotationEditor, type EditorRegion } from "~/components/canvas/AnnotationEditor";
import {
  mergeRemoteRegions,
  planRegionSync,
  type SavedRegion,
  type SyncOperation,
} from "~/components/canvas/region-sync-plan";
import { useTRPCClient, type RouterOutputs } from "~/trpc/react";

/** A saved region as `annotation.forImage` returns it. */
type RegionDto = RouterOutputs["annotation"]["forImage"]["regions"][number];

export type SyncStatus = "idle" | "saving" | "saved" | "error";
export type ConflictChoice = "theirs" | "mine-as-new" | "overwrite";

/** The save state in words, for the region list ("" when there is nothing to say). */
export function describeSync(sync: { status: SyncStatus; conflicts: ReadonlyMap<string, string> }): string {
  if (sync.conflicts.size > 0) return `${sync.conflicts.size} not saved (changed by someone else)`;
  if (sync.status === "saving") return "saving…";
  if (sync.status === "saved") return "all changes saved";
  if (sync.status === "error") return "not saved";
  return "";
}

/** Waits this long after the last edit before saving, so a burst of edits is one save. */
const SAVE_DELAY_MS = 350;

/**
 * Keeps the server in step with the editor: after each edit (once no gesture is in progress) it
 * sends the operations planRegionSync finds, each update and delete naming the version it was
 * based on. A refused (stale) save blocks that region and reports the server's message; the
 * user's version stays on screen until they choose what to do with it, so nothing is lost.
 */
export function useRegionSync(options: {
  editor: AnnotationEditor;
  projectId: string;
  imageId: string;
  /** The regions as loaded; the editor is filled when this list first arrives, later lists (live refetches) are merged. */
  loaded: RegionDto[] | undefined;
  enabled: boolean;
}) {
  const { editor, projectId, imageId, loaded, enabled } = options;
  const client = useTRPCClient();
  const saved = useRef(new Map<string, SavedRegion>());
  const blocked = useRef(new Set<string>());
  const running = useRef(false);
  const again = useRef(false);
  const [status, setStatus] = useState<SyncStatus>("idle");
  const [error, setError] = useState<string | null>(null);
  const [conflicts, setConflicts] = useState<ReadonlyMap<string, string>>(new Map());
  const loadedFor = useRef<AnnotationEditor | null>(null);

  useEffect(() => {
    if (!loaded || loadedFor.current === editor) return;
    loadedFor.current = editor;
    saved.current = new Map(loaded.map((region) => [region.id, savedOf(region)]));
    blocked.current = new Set();
    editor.load(loaded.map(editorRegionOf));
  }, [editor, loaded]);

  // Other people's saved changes, merged without touching unsaved local edits. `loaded` changes
  // when a live event refetches it; the merge reads a fresh list so that it can never be older
  // than this editor's own last save, and drops it if a save started meanwhile.
  const saveGeneration = useRef(0);
  const mergeRemote = useCallback(async () => {
    if (loadedFor.current !== editor) return;
    const generation = saveGeneration.current;
    const { regions } = await client.annotation.forImage.query({ projectId, imageId });
    if (running.current || generation !== saveGeneration.current || !editor.isIdle()) return;
    const merged = mergeRemoteRegions(editor.regions, saved.current, regions.map(savedOf), blocked.current);
    if (!merged) return;
    saved.current = merged.saved;
    editor.applyRemote(merged.regions);
  }, [client, editor, imageId, projectId]);
  useEffect(() => {
    if (loaded) void mergeRemote().catch(() => {});
  }, [mergeRemote, loaded]);

  const apply = useCallback(
    async (operation: SyncOperation) => {
      switch (operation.type) {
        case "create": {
          const region = await client.annotation.createRegion.mutate({
            projectId,
            imageId,
            labelClassId: operation.labelClassId,
            geometry: operation.geometry,
          });
          saved.current.set(operation.key, { ...savedOf(region), geometry: operation.geometry });
          return;
        }
        case "update": {
          const region = await client.annotation.updateRegion.mutate({
            projectId,
            regionId: operation.serverId,
            expectedVersion: operation.expectedVersion,
            labelClassId: operation.labelClassId,
            ...(operation.geometry ? { geometry: operation.geometry } : {}),
          });
          const previous = saved.current.get(operation.key);
          saved.current.set(operation.key, {
            ...savedOf(region),
            geometry: operation.geometry ?? previous?.geometry ?? region.geometry,
          });
          return;
        }
        case "delete":
          await client.annotation.deleteRegion.mutate({
            projectId,
            regionId: operation.serverId,
            expectedVersion: operation.expectedVersion,
          });
          saved.current.delete(operation.key);
          return;
      }
    },
    [client, projectId, imageId],
  );

  const flush = useCallback(async () => {
    if (!enabled || loadedFor.current !== editor) return;
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    saveGeneration.current += 1;
    try {
      do {
        again.current = false;
        const operations = planRegionSync(editor.regions, saved.current, blocked.current);
        if (operations.length === 0) break;
        setStatus("saving");
        for (const operation of operations) {
          try {
            await apply(operation);
          } catch (caught) {
            if (caught instanceof TRPCClientError && caught.data?.code === "CONFLICT") {
              blocked.current.add(operation.key);
              setConflicts((current) => new Map(current).set(operation.key, caught.message));
              continue;
            }
            throw caught;
          }
        }
      } while (again.current);
      setError(null);
      setStatus("saved");
    } catch (caught) {
      setStatus("error");
      setError(caught instanceof Error ? caught.message : "Saving failed");
    } finally {
      running.current = false;
    }
  }, [apply, editor, enabled]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastRegions = editor.regions;
    const unsubscribe = editor.subscribe(() => {
      if (editor.regions === lastRegions) return;
      lastRegions = editor.regions;
      clearTimeout(timer);
      timer = setTimeout(function tryFlush() {
        // Wait for the end of a drag or stroke: saving every intermediate position is noise.
        if (!editor.isIdle()) {
          timer = setTimeout(tryFlush, SAVE_DELAY_MS);
          return;
        }
        timer = undefined;
        void flush();
      }, SAVE_DELAY_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [editor, flush]);

  /** What to do with a region whose save was refused. */
  const resolveConflict = useCallback(
    async (key: string, choice: ConflictChoice) => {
      const { regions } = await client.annotation.forImage.query({ projectId, imageId });
      const serverId = saved.current.get(key)?.serverId ?? key;
      const theirs = regions.find((region) => region.id === serverId);
      if (choice === "theirs") {
        if (theirs) {
          saved.current.set(key, savedOf(theirs));
          editor.updateRegion(
            key,
            { geometry: theirs.geometry, labelClassId: theirs.labelClassId },
            { undoable: false },
          );
        } else {
          saved.current.delete(key);
          editor.replaceRegions(editor.regions.filter((region) => region.key !== key));
        }
      } else if (choice === "mine-as-new") {
        editor.rekey(key, newLocalKey());
        saved.current.delete(key);
        if (theirs) {
          saved.current.set(theirs.id, savedOf(theirs));
          editor.replaceRegions([...editor.regions, editorRegionOf(theirs)]);
        }
      } else if (theirs) {
        // Overwrite: an explicit choice, so the save is based on their current version.
        const mine = saved.current.get(key);
        if (mine)
          saved.current.set(key, {
            ...mine,
            version: theirs.version,
            geometry: theirs.geometry,
            labelClassId: theirs.labelClassId,
          });
      } else {
        saved.current.delete(key);
      }
      blocked.current.delete(key);
      setConflicts((current) => {
        const next = new Map(current);
        next.delete(key);
        return next;
      });
      await flush();
    },
    [client, editor, flush, imageId, projectId],
  );

  return { status, error, conflicts, resolveConflict, retry: flush };
}

function savedOf(region: RegionDto): SavedRegion {
  return {
    serverId: region.id,
    version: region.version,
    labelClassId: region.labelClassId,
    geometry: region.geometry,
  };
}

function editorRegionOf(region: RegionDto): EditorRegion {
  return { key: region.id, labelClassId: region.labelClassId, geometry: region.geometry };
}
