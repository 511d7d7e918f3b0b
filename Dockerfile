# syntax=docker/dockerfile:1

# ---- build: compile the TypeScript, then keep only the production dependencies ----------------
FROM node:20-bookworm-slim AS build

# argon2 ships prebuilt binaries; node-gyp falls back to compiling it when none fits the platform.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
# tsc emits dist/ with src/ as its root: dist/api/server.js, dist/worker.js, dist/main.js, and
# dist/workflows, which the Temporal worker bundles at start-up. Vite builds the panel into
# web/dist, which the API serves at /.
RUN npm run build \
    && npm run build:web \
    && npm prune --omit=dev

# ---- runtime ------------------------------------------------------------------------------------
# The same base as the build stage, so the native modules built there (argon2, @swc/core for the
# workflow bundler) match its libc.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Owned by root and only readable by the app user: the process cannot rewrite its own code.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist

USER node
EXPOSE 3000

# API and worker in one process; docker-compose.yml runs them as separate services instead.
CMD ["node", "dist/main.js"]
