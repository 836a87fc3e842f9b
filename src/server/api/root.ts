import { authRouter } from "./routers/auth";
import { datasetRouter } from "./routers/dataset";
import { labelClassRouter } from "./routers/label-class";
import { memberRouter } from "./routers/member";
import { projectRouter } from "./routers/project";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  project: projectRouter,
  member: memberRouter,
  dataset: datasetRouter,
  labelClass: labelClassRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
