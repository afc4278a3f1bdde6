# Tether Sync: compiled JavaScript on Node 20, production dependencies only, not root.
# The steps are run outside Docker by test/integration/docker-steps.test.ts: keep to
# FROM / WORKDIR / ENV / COPY / RUN / USER / EXPOSE / HEALTHCHECK / CMD, one instruction a line.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
ENV PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "dist/src/ops/healthcheck.js"]
# Create (if needed) and migrate the database under an advisory lock, then run: replicas may start together.
CMD ["sh", "-c", "node dist/src/cli.js migrate && exec node dist/src/main.js"]
