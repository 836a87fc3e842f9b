import { activityRouter } from "./routers/activity";
import { analysedAreaRouter } from "./routers/analysed-area";
import { analysisRouter } from "./routers/analysis";
import { annotationRouter } from "./routers/annotation";
import { authRouter } from "./routers/auth";
import { conditionsRouter } from "./routers/conditions";
import { datasetRouter } from "./routers/dataset";
import { invitationRouter } from "./routers/invitation";
import { jobRouter } from "./routers/job";
import { labelClassRouter } from "./routers/label-class";
import { memberRouter } from "./routers/member";
import { modelVersionRouter } from "./routers/model-version";
import { objectsRouter } from "./routers/objects";
import { presenceRouter } from "./routers/presence";
import { projectRouter } from "./routers/project";
import { resultsRouter } from "./routers/results";
import { sam2Router } from "./routers/sam2";
import { scaleRouter } from "./routers/scale";
import { settingsRouter } from "./routers/settings";
import { shareRouter } from "./routers/share";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  project: projectRouter,
  member: memberRouter,
  dataset: datasetRouter,
  job: jobRouter,
  labelClass: labelClassRouter,
  annotation: annotationRouter,
  analysis: analysisRouter,
  objects: objectsRouter,
  sam2: sam2Router,
  scale: scaleRouter,
  analysedArea: analysedAreaRouter,
  settings: settingsRouter,
  results: resultsRouter,
  modelVersion: modelVersionRouter,
  invitation: invitationRouter,
  share: shareRouter,
  activity: activityRouter,
  presence: presenceRouter,
  conditions: conditionsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
