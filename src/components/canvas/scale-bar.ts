/**
 * The canvas's scale bar. The rule (a 1-2-5 length taking 10-25 % of the view's width) lives in
 * ~/core/objects/scale-bar-length, shared with the share page and the exported overlays; this
 * module re-exports it for the canvas and the objects panel.
 */
export {
  SCALE_BAR_MAX_FRACTION,
  SCALE_BAR_MIN_FRACTION,
  formatNumber,
  niceBelow,
  scaleBarFor,
  type ScaleBar,
} from "~/core/objects/scale-bar-length";
