# Production image for the complaint orchestrator. One image, two processes:
#   api    -> node dist/api/main.js     (the default CMD)
#   worker -> node --no-memory-reducer dist/worker/main.js  (docker-compose.yml overrides the command)
#
# Debian (glibc), not Alpine: @temporalio/core-bridge ships prebuilt native binaries for
# x86_64/aarch64-unknown-linux-gnu only, so a musl base would need a Rust toolchain to build it.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
WORKDIR /app
# The image never runs scripts/ensure-temporal.mjs (it only hooks `npm start` / `npm test`);
# the flag is set so that nothing inside a container ever tries to fetch Temporal binaries.
ENV SKIP_TEMPORAL_INSTALL=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

# ---------------------------------------------------------------------------------------------
FROM base AS build
# Dependencies first, so source edits do not invalidate the `npm ci` layer.
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
# tsc -p tsconfig.build.json mirrors the source tree into dist/ (dist/api/main.js, dist/worker/main.js,
# dist/scripts/...). The workflow bundle is built here, once, so workers start without webpack.
RUN npm run build \
 && node dist/scripts/bundle-workflows.js \
 && test -f dist/api/main.js \
 && test -f dist/worker/main.js \
 && test -f dist/workflow-bundle.js \
 && mkdir -p config

# ---------------------------------------------------------------------------------------------
FROM base AS runtime
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
# Copied as root-owned files: the unprivileged user can read the app but not rewrite it.
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
# tsc does not copy SQL: the archive migrations ship beside dist/ (archive/migrate.ts looks there).
COPY --from=build /app/archive/migrations ./archive/migrations

USER node
EXPOSE 3000
# No HEALTHCHECK here: the worker runs this same image and serves no HTTP, so an image-level
# check would mark every worker unhealthy. The api's check lives in docker-compose.yml.
CMD ["node", "dist/api/main.js"]
