"use client";

import { type ReactNode } from "react";
import type { AnnotationEditor } from "~/components/canvas/AnnotationEditor";
import type { Size, Vec } from "~/components/canvas/camera";
import type { ImagePyramid } from "~/components/canvas/image-pyramid";
import { AnalysedAreaLayer } from "~/components/canvas/layers/AnalysedAreaLayer";
import { AnnotationLayer } from "~/components/canvas/layers/AnnotationLayer";
import { CamCropLayer } from "~/components/canvas/layers/CamCropLayer";
import { ClusterLayer } from "~/components/canvas/layers/ClusterLayer";
import { HeatmapLayer } from "~/components/canvas/layers/HeatmapLayer";
import { ImageLayer } from "~/components/canvas/layers/ImageLayer";
import { ObjectsLayer, type ObjectsOverlay } from "~/components/canvas/layers/ObjectsLayer";
import { RasterLayer } from "~/components/canvas/layers/RasterLayer";
import { SamPromptLayer } from "~/components/canvas/layers/SamPromptLayer";
import { ScaleBarLayer } from "~/components/canvas/layers/ScaleBarLayer";
import { SegmentationLayer } from "~/components/canvas/layers/SegmentationLayer";
import { TargetMaskLayer } from "~/components/canvas/layers/TargetMaskLayer";
import { TextureLayer } from "~/components/canvas/layers/TextureLayer";
import { ViewerPane } from "~/components/canvas/ViewerPane";
import type { GridRect } from "~/core/analysis/mask-agreement";
import type { GreyImage } from "~/core/analysis/raster";
import type { PixelSize } from "~/core/objects/units";
import { OVERLAY_LABELS, type LayerSettings, type OverlayId } from "./layer-settings";
import type { Clustering } from "./use-clustering";

export type ViewerData = {
  pyramid: ImagePyramid;
  fullRect: GridRect;
  /** Where the CAM lies over the image (its frame). */
  camRect: GridRect;
  /** The centre crop the classifier saw, outlined; null when it saw the analysed area by tiles. */
  camCrop: GridRect | null;
  /** The analysed area (what measurements cover), null for the whole image. */
  analysedArea: GridRect | null;
  cam: GreyImage | null;
  segmentation: GreyImage | null;
  contrast: GreyImage | null;
  clustering: Clustering | null;
  target: number | null;
  /** The object set's outlines and selection, when there is one. */
  objects: ObjectsOverlay | null;
  /** The live preview's outlines while segmentation parameters are edited (drawn over the image). */
  objectsPreview?: HTMLCanvasElement | null;
  /** Size of one image pixel, for the scale bar (null: no scale). */
  pixelSize: PixelSize | null;
};

/**
 * The image with its overlays: one pane, or in compare mode one pane per chosen overlay, all
 * sharing the editor's camera (same zoom and pan) and tools.
 */
export function WorkspaceViewer(props: {
  editor: AnnotationEditor;
  data: ViewerData;
  settings: LayerSettings;
  compare: OverlayId[] | null;
  classColors: ReadonlyMap<string, string>;
  onHover: (point: Vec | null) => void;
  onSize: (size: Size) => void;
  /** A click (press and release without a drag) at an image point, whatever the tool. */
  onClickImage?: (point: Vec) => void;
}) {
  const { editor, data, settings } = props;
  const overlay = (id: OverlayId, forced: boolean): ReactNode => {
    const setting = settings[id];
    if (!forced && !setting.visible) return null;
    switch (id) {
      case "cam":
        return (
          data.cam && (
            <HeatmapLayer
              key="cam"
              cam={data.cam}
              rect={data.camRect}
              colormap={settings.camColormap}
              opacity={setting.opacity}
            />
          )
        );
      case "clusters":
        return (
          data.clustering && (
            <ClusterLayer
              key="clusters"
              labels={data.clustering.labels}
              k={data.clustering.k}
              rect={data.fullRect}
              opacity={setting.opacity}
            />
          )
        );
      case "segmentation":
        return (
          data.segmentation && (
            <SegmentationLayer
              key="segmentation"
              mask={data.segmentation}
              rect={data.fullRect}
              opacity={setting.opacity}
            />
          )
        );
      case "texture":
        return (
          data.contrast && (
            <TextureLayer key="texture" contrast={data.contrast} rect={data.fullRect} opacity={setting.opacity} />
          )
        );
      case "target":
        return (
          data.clustering &&
          data.target !== null && (
            <TargetMaskLayer
              key="target"
              labels={data.clustering.labels}
              clusterId={data.target}
              rect={data.fullRect}
              opacity={setting.opacity}
            />
          )
        );
      case "excluded":
        return (
          <AnalysedAreaLayer key="excluded" area={data.analysedArea} image={data.fullRect} opacity={setting.opacity} />
        );
      case "camCrop":
        return data.camCrop && <CamCropLayer key="camCrop" rect={data.camCrop} opacity={setting.opacity} />;
      case "objects":
        return [
          data.objects && (
            <ObjectsLayer
              key="objects"
              objects={data.objects}
              rect={data.fullRect}
              // Under a preview, the stored outlines only dimly.
              opacity={data.objectsPreview ? setting.opacity * 0.3 : setting.opacity}
            />
          ),
          data.objectsPreview && (
            <RasterLayer
              key="objects-preview"
              name="objects-preview"
              canvas={data.objectsPreview}
              rect={data.fullRect}
              opacity={setting.opacity}
            />
          ),
        ];
      case "annotations":
        return (
          setting.visible && (
            <AnnotationLayer
              key="annotations"
              editor={editor}
              classColors={props.classColors}
              opacity={setting.opacity}
            />
          )
        );
    }
  };

  if (!props.compare) {
    return (
      <div style={{ display: "flex", height: "100%" }}>
        <ViewerPane
          paneId="main"
          editor={editor}
          onHover={props.onHover}
          onSize={props.onSize}
          onClickImage={props.onClickImage}
        >
          <ImageLayer pyramid={data.pyramid} camera={editor.camera} />
          {(
            [
              "texture",
              "segmentation",
              "clusters",
              "cam",
              "target",
              "excluded",
              "camCrop",
              "objects",
              "annotations",
            ] as const
          ).map((id) => overlay(id, false))}
          <SamPromptLayer editor={editor} classColors={props.classColors} />
          <ScaleBarLayer editor={editor} pixelSize={data.pixelSize} />
        </ViewerPane>
      </div>
    );
  }
  return (
    <div style={{ display: "flex", gap: 4, height: "100%" }} data-testid="compare-panes">
      {props.compare.map((id, index) => (
        <ViewerPane
          key={id}
          paneId={id}
          label={OVERLAY_LABELS[id]}
          editor={editor}
          onHover={props.onHover}
          onSize={index === 0 ? props.onSize : undefined}
          onClickImage={props.onClickImage}
        >
          <ImageLayer pyramid={data.pyramid} camera={editor.camera} />
          {overlay(id, true)}
          {overlay("annotations", false)}
          <SamPromptLayer editor={editor} classColors={props.classColors} />
          <ScaleBarLayer editor={editor} pixelSize={data.pixelSize} />
        </ViewerPane>
      ))}
    </div>
  );
}
