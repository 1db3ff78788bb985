# platespin in one image: flag_server, chaos_proxy, the three downloaders and
# flagbench, the flag data set and configs/. docker-compose.yml runs it as three
# services. Build: docker build -t platespin .   (ARG JOBS: parallel compile jobs)

# --- build: the same script as on a developer's machine, so the package list lives in one place.
FROM debian:bookworm AS build
ARG JOBS=2
WORKDIR /src
COPY . .
# PLATESPIN_COMPOSE=0: docker-compose is only for the tests on the host, not for the image.
RUN PLATESPIN_COMPOSE=0 PLATESPIN_JOBS=${JOBS} scripts/bootstrap release
# Gather what the runtime needs; -L turns any symlink into the data set's
# source (the famfamfam package) into a real file, since that package stays behind.
RUN mkdir -p /out/bin \
 && cp build/release/bin/flag_server build/release/bin/chaos_proxy build/release/bin/flagbench \
       build/release/bin/flags_sequential build/release/bin/flags_threadpool build/release/bin/flags_async /out/bin/ \
 && cp -rL build/release/data /out/data \
 && cp -r configs /out/configs

# --- runtime: only the shared libraries the binaries link (checked with ldd), no compiler.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libyaml-cpp0.7 libfmt9 libboost-url1.81.0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /opt/platespin --shell /usr/sbin/nologin platespin
COPY --from=build /out /opt/platespin
RUN install -d -o platespin -g platespin /opt/platespin/results
WORKDIR /opt/platespin
ENV PATH=/opt/platespin/bin:$PATH
USER platespin
EXPOSE 8001 8002 8003 8474
CMD ["flag_server", "--bind", "0.0.0.0", "--port", "8001"]
