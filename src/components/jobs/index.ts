export { AnalyseDatasetButton } from "./AnalyseDatasetButton";
export { DatasetProgress } from "./DatasetProgress";
export { JobsPanel } from "./JobsPanel";
