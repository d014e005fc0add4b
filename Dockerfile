# One image per service: docker build --build-arg SERVICE=dealers -t settlement/dealers .
# SERVICE is one of dealers, requisitions, returns, settlement.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG SERVICE
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY libs ./libs
COPY apps ./apps
# nest's tsc builder keeps the source layout below dist/apps/<svc>
# (dist/apps/<svc>/apps/<svc>/src/main.js); dist/service.js points at it.
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<dealers|requisitions|returns|settlement>" >&2; exit 1; } \
 && npx nest build "${SERVICE}" \
 && main="$(find "dist/apps/${SERVICE}" -path "*/apps/${SERVICE}/src/main.js" | head -n1)" \
 && test -n "$main" \
 && echo "require('./${main#dist/}');" > dist/service.js \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# A CJK font for the settlement PDFs: dealer names, reasons and descriptions are often Chinese.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*
USER node
EXPOSE 3001 3002 3003 3004
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "const d={dealers:3001,requisitions:3002,returns:3003,settlement:3004};fetch('http://127.0.0.1:'+(process.env.PORT||d[process.env.SERVICE])+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/service.js"]
