# One Dockerfile for the four binaries; BINARY picks which one an image carries:
#   docker build --build-arg BINARY=thb-coordinator -t registry.example.gov/thb/thb-coordinator:0.8.0 .
#   (BINARY: thb-coordinator, thb-commission, thb-rapporteur, thb-gateway)
# The build stage compiles that binary (release preset, no tests); the runtime stage is Debian 12
# slim with the shared libraries the binaries link against, the binary, and a non-root user.
# tests/dockerfile_test.sh checks the runtime package list against the binaries' DT_NEEDED
# entries and the user against the Kubernetes manifests.

FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev \
      prometheus-cpp-dev libsqlite3-dev libglpk-dev libpqxx-dev libjwt-dev libssl-dev libboost-dev \
      nlohmann-json3-dev golang-github-gogo-googleapis-dev grpc-proto zlib1g-dev nodejs npm \
      libcsv-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The web application's build tools and libraries, pinned by the lockfile.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY CMakeLists.txt CMakePresets.json ./
COPY cmake cmake
COPY protos protos
COPY services services
COPY gateway gateway
COPY bench bench
COPY ui ui
COPY tools tools
ARG BINARY=thb-coordinator
# The gateway's image also carries the web application (--ui_dir=/usr/share/thb/ui); the other
# images get an empty directory.
RUN cmake --preset release \
 && cmake --build --preset release --target "${BINARY}" \
 && install -D -m 0755 "$(find build/release -type f -name "${BINARY}" -perm -u+x | head -n1)" \
      "/out/${BINARY}" \
 && strip "/out/${BINARY}" \
 && mkdir -p /out/ui \
 && if [ "${BINARY}" = thb-gateway ]; then \
      cmake --build --preset release --target thb-ui && cp -r build/release/webui/. /out/ui/; \
    fi

FROM debian:12-slim
# The runtime libraries of the suite's binaries (their packages pull in what they need).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libgrpc++1.51 libgrpc29 libprotobuf32 libabsl20220623 \
      libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 \
      libsqlite3-0 libglpk40 libpqxx-6.4 libjwt0 libssl3 libstdc++6 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 thb \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin thb \
 && install -d -o 10001 -g 10001 /var/lib/thb
ARG BINARY=thb-coordinator
COPY --from=build /out/${BINARY} /usr/local/bin/thb-service
COPY --from=build /out/ui /usr/share/thb/ui
USER 10001:10001
WORKDIR /var/lib/thb
# Configuration comes from THB_* environment variables (a ConfigMap) or flags after the image.
ENTRYPOINT ["/usr/local/bin/thb-service"]
