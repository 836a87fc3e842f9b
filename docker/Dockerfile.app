# Visual-CCC web app (Next.js + tRPC). Stateless: scale it out behind a load balancer; every
# replica hears every live event through Postgres LISTEN/NOTIFY.
# Build from the repository root:  docker build -f docker/Dockerfile.app -t visual-ccc-app .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json next.config.mjs ./
RUN npm ci
COPY . .
RUN npx prisma generate && npx next build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
COPY --from=build /app /app
VOLUME ["/data"]
EXPOSE 3000
# Migrations, optional demo seed, then `next start` (docker/app-entrypoint.ts). Workers run as
# their own containers: this image with `node --conditions=react-server --import tsx scripts/worker.ts`, or the CUDA image.
CMD ["node", "--conditions=react-server", "--import", "tsx", "docker/app-entrypoint.ts"]
