"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage } from "~/components/error-message";
import {
  analysedAreaInImageSchema,
  type AnalysedArea,
  type AnalysedAreaRecord,
  type AnalysedAreaSource,
} from "~/core/analysed-area/analysed-area";
import { useTRPC } from "~/trpc/react";

const SOURCE_TEXT: Record<AnalysedAreaSource, string> = {
  metadata: "from the file's metadata (data bar left out)",
  detected: "data bar detected and left out",
  manual: "set by hand",
};

const FIELDS = ["x", "y", "width", "height"] as const;

/**
 * The analysed area of the image: the part objects are segmented and measured in (an instrument
 * data bar left out). Shows it, with a sketch of the frame where the excluded part is hatched,
 * and, for those who may change it, four fields (px), "Whole image" and "Detect again".
 */
export function AnalysedAreaForm(props: {
  projectId: string;
  image: { id: string; width: number; height: number; analysedArea: AnalysedAreaRecord | null };
  canEdit: boolean;
}) {
  const { image } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current: AnalysedArea = image.analysedArea ?? { x: 0, y: 0, width: image.width, height: image.height };
  const [draft, setDraft] = useState<Record<(typeof FIELDS)[number], string> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation(
    trpc.analysedArea.set.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        setProblem(null);
        void queryClient.invalidateQueries({ queryKey: trpc.analysis.workspace.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.objects.pathKey() });
      },
    }),
  );
  const shown = draft ?? {
    x: String(current.x),
    y: String(current.y),
    width: String(current.width),
    height: String(current.height),
  };
  const target = { kind: "image" as const, imageId: image.id };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = analysedAreaInImageSchema(image).safeParse(
      Object.fromEntries(FIELDS.map((field) => [field, shown[field].trim() === "" ? NaN : Number(shown[field])])),
    );
    if (!parsed.success) {
      setProblem(parsed.error.issues.map((issue) => issue.message).join("; "));
      return;
    }
    setProblem(null);
    save.mutate({ projectId: props.projectId, target, change: { kind: "set", area: parsed.data } });
  };

  return (
    <div data-testid="analysed-area" style={{ display: "grid", gap: 6, margin: "0 0 8px" }}>
      <div className="row" style={{ gap: 8, alignItems: "center" }}>
        <AreaSketch image={image} area={current} />
        <span data-testid="analysed-area-status">
          Analysed area:{" "}
          {image.analysedArea
            ? `${current.width} × ${current.height} px at (${current.x}, ${current.y}), ${SOURCE_TEXT[image.analysedArea.source]}`
            : "the whole image"}
        </span>
      </div>
      {props.canEdit && (
        <form onSubmit={submit} noValidate className="row" style={{ gap: 6, flexWrap: "wrap" }}>
          {FIELDS.map((field) => (
            <label key={field} className="row" style={{ gap: 3 }}>
              {field}
              <input
                data-testid={`analysed-area-${field}`}
                inputMode="numeric"
                value={shown[field]}
                style={{ width: 64 }}
                aria-invalid={problem !== null}
                onChange={(event) => setDraft({ ...shown, [field]: event.target.value })}
              />
            </label>
          ))}
          <button type="submit" data-testid="analysed-area-save" disabled={save.isPending}>
            Save
          </button>
          <button
            type="button"
            data-testid="analysed-area-whole"
            disabled={save.isPending || image.analysedArea === null}
            onClick={() => save.mutate({ projectId: props.projectId, target, change: { kind: "clear" } })}
          >
            Whole image
          </button>
          <button
            type="button"
            data-testid="analysed-area-detect"
            disabled={save.isPending}
            onClick={() => save.mutate({ projectId: props.projectId, target, change: { kind: "detect" } })}
          >
            Detect again
          </button>
        </form>
      )}
      {(problem ?? save.error) && (
        <p className="error" role="alert" data-testid="analysed-area-error" style={{ margin: 0 }}>
          {problem ?? errorMessage(save.error)}
        </p>
      )}
    </div>
  );
}

/** The image's frame at a small size, the analysed area plain and what is left out hatched. */
function AreaSketch(props: { image: { width: number; height: number }; area: AnalysedArea }) {
  const { image, area } = props;
  const scale = 64 / Math.max(image.width, image.height);
  const w = image.width * scale;
  const h = image.height * scale;
  return (
    <svg
      width={w}
      height={h}
      role="img"
      aria-label="Analysed area (hatched: left out)"
      data-testid="analysed-area-sketch"
    >
      <defs>
        <pattern
          id="analysed-area-hatch"
          width="4"
          height="4"
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <line x1="0" y1="0" x2="0" y2="4" stroke="currentColor" strokeWidth="1.5" />
        </pattern>
      </defs>
      <rect width={w} height={h} fill="url(#analysed-area-hatch)" opacity={0.6} />
      <rect
        x={area.x * scale}
        y={area.y * scale}
        width={area.width * scale}
        height={area.height * scale}
        fill="var(--panel, #fff)"
        stroke="currentColor"
      />
    </svg>
  );
}
