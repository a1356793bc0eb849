# syntax=docker/dockerfile:1
# The Wekeza reference bank and its front ends (compose.yaml runs them). Stages:
#   workspace  every package installed from the lockfile and built, and Storybook built; the Customer
#              Portal, the Admin Workbench and Storybook run from this stage
#   prod-deps  the reference server's production dependencies only
#   server     (the default target) the reference server alone on a slim Node, as a non-root user
# These files are checked statically in CI (packages/reference-server/test/containers.test.ts);
# no image is built there (the CI machines have no container runtime).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS workspace
ENV CI=true STORYBOOK_DISABLE_TELEMETRY=1
RUN npm install -g pnpm@12.4.2
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm build
RUN pnpm build-storybook

FROM ${NODE_IMAGE} AS prod-deps
RUN npm install -g pnpm@12.4.2
WORKDIR /app
COPY . .
# Only what the server needs at run time; the Prisma clients are bundled into its dist/ already.
RUN pnpm install --frozen-lockfile --prod --ignore-scripts --filter "@wekeza/reference-server..."

FROM ${NODE_IMAGE} AS server
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=prod-deps /app/packages/sdk/node_modules packages/sdk/node_modules
COPY --from=prod-deps /app/packages/risk/node_modules packages/risk/node_modules
COPY --from=prod-deps /app/packages/reference-server/node_modules packages/reference-server/node_modules
COPY --from=workspace /app/packages/sdk/package.json packages/sdk/package.json
COPY --from=workspace /app/packages/sdk/dist packages/sdk/dist
COPY --from=workspace /app/packages/risk/package.json packages/risk/package.json
COPY --from=workspace /app/packages/risk/dist packages/risk/dist
COPY --from=workspace /app/packages/reference-server/package.json packages/reference-server/package.json
COPY --from=workspace /app/packages/reference-server/dist packages/reference-server/dist
COPY --from=workspace /app/packages/reference-server/migrations packages/reference-server/migrations
# Where `wekeza-server keys init` writes the quick start's secrets (a volume in compose.yaml).
RUN mkdir -p /var/lib/wekeza/keys && chown -R node:node /var/lib/wekeza
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "packages/reference-server/dist/cli.js"]
CMD ["serve"]
