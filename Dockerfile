# syntax=docker/dockerfile:1
#
# The lesson export service: lessonexportd (web, worker), the lessonexport
# converter and the starter, built as static binaries on a small Debian
# runtime. The image runs `lessonexportd web` by default; the compose file
# runs `lessonexportd worker` from the same image. `lessonexportd dev` is not
# meant for this image: it needs the Temporal CLI, which the image lacks.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/ \
      ./cmd/lessonexportd ./cmd/lessonexport ./starter

FROM debian:bookworm-slim
# A fixed, unprivileged user owns the data folder; a named volume mounted at
# /data takes that ownership when it is first created.
RUN groupadd --system --gid 10001 lessonexport \
 && useradd --system --uid 10001 --gid lessonexport --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin lessonexport \
 && mkdir -p /data \
 && chown lessonexport:lessonexport /data
COPY --from=build /out/lessonexportd /out/lessonexport /out/starter /usr/local/bin/

ENV LESSONEXPORT_DATA_DIR=/data \
    LESSONEXPORT_ADDR=0.0.0.0:8080 \
    LESSONEXPORT_METRICS_ADDR=0.0.0.0:9464
VOLUME ["/data"]
EXPOSE 8080 9464
USER 10001:10001
WORKDIR /data
ENTRYPOINT ["/usr/local/bin/lessonexportd"]
CMD ["web"]
