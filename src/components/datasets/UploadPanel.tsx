"use client";

/**
 * Upload images (PNG, JPEG, TIFF, BMP) or .zip archives into a dataset: a drop zone, a file
 * picker and a folder picker, then one row per file with its own progress bar and result.
 * Each file goes in its own XMLHttpRequest (fetch has no upload progress), three at a time, so
 * progress is per file and one slow or bad file never holds up the rest.
 *
 * Files from a folder (or with conditions in their names, "8mAh_1cycle.tif") first show the
 * condition tags a pattern reads from their paths (ConditionPreview): the person edits the
 * suggested pattern, confirms, and each request carries the file's relative path and the pattern.
 */
import { useCallback, useEffect, useRef, useState, type DragEvent } from "react";
import { z } from "zod";
import { suggestPattern } from "~/core/conditions/path-pattern";
import { ConditionPreview } from "./ConditionPreview";

const ACCEPTED_EXTENSIONS = [".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".zip"] as const;
const ACCEPT = ACCEPTED_EXTENSIONS.join(",");
const CONCURRENT_UPLOADS = 3;

const ingestResultSchema = z.object({
  fileName: z.string(),
  status: z.enum(["stored", "duplicate", "rejected"]),
  imageId: z.string().optional(),
  error: z.string().optional(),
  note: z.string().optional(),
});
type IngestResult = z.infer<typeof ingestResultSchema>;
const uploadResponseSchema = z.object({ results: z.array(ingestResultSchema) });
const errorResponseSchema = z.object({ error: z.string() });

type RowPhase = "queued" | "uploading" | "processing" | "done" | "failed";

type UploadRow = {
  id: number;
  name: string;
  size: number;
  /** 0..1 of the request body sent. */
  progress: number;
  phase: RowPhase;
  results: IngestResult[];
  /** Request-level failure (network, session, size), when there are no per-file results. */
  error?: string;
};

export type UploadPanelProps = {
  projectId: string;
  datasetId: string;
  /** Called after each upload that stored at least one image (e.g. to refresh the grid). */
  onUploaded?: () => void;
};

export function UploadPanel({ projectId, datasetId, onUploaded }: UploadPanelProps) {
  const [rows, setRows] = useState<UploadRow[]>([]);
  const [dragging, setDragging] = useState(false);
  const [skippedNote, setSkippedNote] = useState<string | null>(null);
  const queue = useRef<QueuedFile[]>([]);
  /** Files waiting for the person to confirm (or drop) the conditions read from their paths. */
  const [pending, setPending] = useState<{ files: PathedFile[]; pattern: string } | null>(null);
  const active = useRef(new Map<number, XMLHttpRequest>());
  const nextId = useRef(1);
  const onUploadedRef = useRef(onUploaded);
  useEffect(() => {
    onUploadedRef.current = onUploaded;
  }, [onUploaded]);

  const url = `/api/projects/${encodeURIComponent(projectId)}/datasets/${encodeURIComponent(datasetId)}/upload`;

  const updateRow = useCallback((id: number, change: Partial<UploadRow>) => {
    setRows((current) => current.map((row) => (row.id === id ? { ...row, ...change } : row)));
  }, []);

  /** Starts queued uploads while fewer than CONCURRENT_UPLOADS run; each finished one starts the next. */
  const pump = useCallback(() => {
    const startNext = (): void => {
      while (active.current.size < CONCURRENT_UPLOADS) {
        const next = queue.current.shift();
        if (!next) return;
        const request = new XMLHttpRequest();
        active.current.set(next.id, request);
        const finish = (change: Partial<UploadRow>) => {
          active.current.delete(next.id);
          updateRow(next.id, change);
          startNext();
        };
        request.upload.onprogress = (event) => {
          if (event.lengthComputable && event.total > 0) {
            updateRow(next.id, { progress: event.loaded / event.total });
          }
        };
        // Bytes are all sent; the server is now validating and storing.
        request.upload.onload = () => updateRow(next.id, { progress: 1, phase: "processing" });
        request.onerror = () =>
          finish({ phase: "failed", error: "Network error: the upload did not reach the server." });
        request.onabort = () => finish({ phase: "failed", error: "Upload cancelled." });
        request.onload = () => {
          const outcome = readResponse(request);
          if ("results" in outcome) {
            finish({ phase: "done", progress: 1, results: outcome.results });
            if (outcome.results.some((result) => result.status === "stored")) onUploadedRef.current?.();
          } else {
            finish({ phase: "failed", error: outcome.error });
          }
        };
        const form = new FormData();
        form.append("files", next.file, next.file.name);
        form.append("paths", next.path);
        if (next.pattern) form.append("pattern", next.pattern);
        request.open("POST", url);
        request.responseType = "text";
        request.send(form);
        updateRow(next.id, { phase: "uploading" });
      }
    };
    startNext();
  }, [updateRow, url]);

  useEffect(() => {
    const requests = active.current;
    return () => {
      queue.current = [];
      for (const request of requests.values()) request.abort();
    };
  }, []);

  const enqueue = useCallback(
    (files: PathedFile[], pattern: string | null = null) => {
      if (files.length === 0) return;
      const added = files.map(({ file, path }) => ({ id: nextId.current++, file, path, pattern }));
      setRows((current) => [
        ...current,
        ...added.map(({ id, file }) => ({
          id,
          name: file.name,
          size: file.size,
          progress: 0,
          phase: "queued" as const,
          results: [],
        })),
      ]);
      queue.current.push(...added);
      pump();
    },
    [pump],
  );

  /** Files whose paths name conditions wait for the pattern to be confirmed; others go at once. */
  const choose = useCallback(
    (files: PathedFile[]) => {
      const pattern = suggestPattern(files.map((file) => file.path));
      const inFolders = files.some((file) => file.path.includes("/"));
      if (files.length > 0 && (pattern !== null || inFolders)) setPending({ files, pattern: pattern ?? "" });
      else enqueue(files);
    },
    [enqueue],
  );

  /** Folders may hold anything; only files we can read are sent, the rest are counted. */
  const enqueueFromFolder = useCallback(
    (files: PathedFile[]) => {
      const accepted = files.filter((file) => hasAcceptedExtension(file.file));
      const skipped = files.length - accepted.length;
      setSkippedNote(
        skipped > 0 ? `${skipped} file(s) in the folder were skipped (not PNG, JPEG, TIFF, BMP or ZIP).` : null,
      );
      choose(accepted);
    },
    [choose],
  );

  const onDrop = async (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const entries = Array.from(event.dataTransfer.items)
      .map((item) => item.webkitGetAsEntry?.() ?? null)
      .filter((entry): entry is FileSystemEntry => entry !== null);
    if (entries.some((entry) => entry.isDirectory)) {
      enqueueFromFolder(await filesFromEntries(entries));
    } else {
      choose(Array.from(event.dataTransfer.files, withPath));
    }
  };

  return (
    <section className="panel" data-testid="upload-panel">
      <div
        data-testid="upload-dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => void onDrop(event)}
        style={{
          border: `2px dashed ${dragging ? "var(--accent)" : "var(--line)"}`,
          background: dragging ? "#eef2ff" : "transparent",
          borderRadius: "var(--radius)",
          padding: 20,
          textAlign: "center",
        }}
      >
        <p style={{ margin: "0 0 10px" }}>Drop images, folders or .zip archives here (PNG, JPEG, TIFF 8/16-bit, BMP)</p>
        <div className="row" style={{ justifyContent: "center" }}>
          <label className="muted">
            Choose files{" "}
            <input
              type="file"
              multiple
              accept={ACCEPT}
              data-testid="upload-input"
              aria-label="Choose image files or zip archives"
              onChange={(event) => {
                choose(Array.from(event.target.files ?? [], withPath));
                event.target.value = "";
              }}
            />
          </label>
          <label className="muted">
            or a folder{" "}
            <input
              type="file"
              multiple
              data-testid="upload-folder-input"
              aria-label="Choose a folder of images"
              // Not in React's typings: folder selection in every current browser.
              ref={(input) => input?.setAttribute("webkitdirectory", "")}
              onChange={(event) => {
                enqueueFromFolder(Array.from(event.target.files ?? [], withPath));
                event.target.value = "";
              }}
            />
          </label>
        </div>
      </div>
      {skippedNote && <p className="muted">{skippedNote}</p>}
      {pending && (
        <ConditionPreview
          paths={pending.files.map((file) => file.path)}
          pattern={pending.pattern}
          onPattern={(pattern) => setPending({ ...pending, pattern })}
          onConfirm={(pattern) => {
            enqueue(pending.files, pattern);
            setPending(null);
          }}
          onCancel={() => setPending(null)}
        />
      )}
      {rows.length > 0 && (
        <ul data-testid="upload-list" style={{ listStyle: "none", padding: 0, margin: "12px 0 0" }}>
          {rows.map((row) => (
            <UploadRowView key={row.id} row={row} />
          ))}
        </ul>
      )}
    </section>
  );
}

function UploadRowView({ row }: { row: UploadRow }) {
  const status = statusWord(row);
  const single = row.results.length === 1 ? row.results[0] : undefined;
  const message = row.error ?? single?.error ?? single?.note;
  const isError = row.phase === "failed" || single?.status === "rejected";
  return (
    <li
      data-testid="upload-row"
      data-file-name={row.name}
      data-phase={row.phase}
      style={{ padding: "8px 0", borderBottom: "1px solid var(--line)" }}
    >
      <div className="row" style={{ justifyContent: "space-between", flexWrap: "nowrap" }}>
        <span style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }} title={row.name}>
          {row.name} <span className="muted">({formatSize(row.size)})</span>
        </span>
        <span
          data-testid="upload-status"
          className={isError ? "error" : status === "stored" ? "ok" : "muted"}
          style={{ whiteSpace: "nowrap" }}
        >
          {status}
        </span>
      </div>
      <progress
        data-testid="upload-progress"
        max={1}
        value={row.progress}
        aria-label={`Upload progress of ${row.name}`}
        style={{ width: "100%", height: 6 }}
      />
      {message && (
        <div data-testid="upload-message" className={isError ? "error" : "muted"}>
          {message}
        </div>
      )}
      {row.results.length > 1 && (
        <ul style={{ listStyle: "none", paddingLeft: 12, margin: "4px 0 0" }}>
          {row.results.map((result, index) => (
            <li key={`${result.fileName}-${index}`} data-testid="upload-entry" className="row">
              <span className="muted">{result.fileName}</span>
              <span
                data-testid="upload-entry-status"
                className={result.status === "rejected" ? "error" : result.status === "stored" ? "ok" : "muted"}
              >
                {result.status}
              </span>
              {(result.error ?? result.note) && (
                <span className={result.status === "rejected" ? "error" : "muted"}>{result.error ?? result.note}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * "stored" / "duplicate" / "rejected" for a single file (what tests and users read); for an
 * archive, the same word when all entries agree, else counts ("3 stored, 1 rejected").
 */
function statusWord(row: UploadRow): string {
  if (row.phase === "queued") return "queued";
  if (row.phase === "uploading") return `uploading ${Math.round(row.progress * 100)}%`;
  if (row.phase === "processing") return "processing";
  if (row.phase === "failed") return "failed";
  const counts = new Map<string, number>();
  for (const result of row.results) counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
  if (counts.size === 1) return row.results[0]?.status ?? "done";
  return Array.from(counts, ([word, count]) => `${count} ${word}`).join(", ");
}

function readResponse(request: XMLHttpRequest): { results: IngestResult[] } | { error: string } {
  let body: unknown = null;
  try {
    body = JSON.parse(request.responseText);
  } catch {
    // Not JSON (a proxy error page, say): fall through to the status-based message.
  }
  if (request.status === 200) {
    const parsed = uploadResponseSchema.safeParse(body);
    if (parsed.success) return { results: parsed.data.results };
    return { error: "The server answered with something unexpected." };
  }
  if (request.status === 401) return { error: "Your session has ended; sign in again." };
  const parsed = errorResponseSchema.safeParse(body);
  return { error: parsed.success ? parsed.data.error : `Upload failed (HTTP ${request.status}).` };
}

/** A chosen file and where it sat in the chosen folder ("run/8mAh/a.tif"; the bare name otherwise). */
type PathedFile = { file: File; path: string };
type QueuedFile = PathedFile & { id: number; pattern: string | null };

/** The path the browser gives a folder pick (webkitRelativePath), else the name. */
function withPath(file: File): PathedFile {
  return { file, path: file.webkitRelativePath || file.name };
}

function hasAcceptedExtension(file: File): boolean {
  const name = file.name.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((extension) => name.endsWith(extension));
}

/** All files under dropped entries, folders walked recursively, with their paths ("folder/sub/a.png"). */
async function filesFromEntries(entries: FileSystemEntry[]): Promise<PathedFile[]> {
  const files: PathedFile[] = [];
  for (const entry of entries) {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      files.push({ file, path: entry.fullPath.replace(/^\/+/, "") || file.name });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries returns batches (100 in Chrome) until an empty one.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        files.push(...(await filesFromEntries(batch)));
      }
    }
  }
  return files;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
