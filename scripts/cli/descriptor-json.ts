/** result.json's descriptor fields, shared by the classical and the SAM 2 objects commands. */
import type { ObjectMeasurements } from "~/core/objects/measure-objects";
import type { ObjectJson } from "./objects";

/** The descriptors result.json names the same way for classical and SAM 2 objects. */
export type DescriptorJson = Pick<
  ObjectJson,
  | "id"
  | "area"
  | "perimeter"
  | "equivalentDiameter"
  | "majorAxis"
  | "minorAxis"
  | "eccentricity"
  | "solidity"
  | "feretMax"
  | "circularity"
  | "aspectRatio"
  | "orientation"
  | "extent"
  | "centroid"
>;

/** An object's regionprops descriptors under result.json's names. */
export function descriptorJson(o: ObjectMeasurements["objects"][number]): DescriptorJson {
  return {
    id: o.label,
    area: o.area,
    perimeter: o.perimeter,
    equivalentDiameter: o.equivalent_diameter,
    majorAxis: o.axis_major_length,
    minorAxis: o.axis_minor_length,
    eccentricity: o.eccentricity,
    solidity: o.solidity,
    feretMax: o.feret_diameter_max,
    circularity: o.circularity,
    aspectRatio: o.aspect_ratio,
    orientation: o.orientation,
    extent: o.extent,
    centroid: o.centroid,
  };
}
