# seqserve container image (docs/deployment.md).
#
#   CPU (default):  docker build -t seqserve:cpu .
#   GPU (CUDA 12):  docker build -t seqserve:gpu \
#                     --build-arg RUNTIME_BASE=nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04 \
#                     --build-arg PYTORCH_FLAVOR=cu128 .
#   Behind a Maven repository mirror (Nexus, Artifactory, or CI's loopback mirror):
#                   docker build --build-arg MAVEN_MIRROR=http://nexus.example:8081/repository/maven-public \
#                     --build-arg MVNW_REPOURL=http://nexus.example:8081/repository/maven-public .
#
# Debian 13 with Debian's OpenJDK 25 for both stages (the code targets Java 17; JDK 25 runs it with an
# ahead-of-time cache, see the last stage). TensorFlow's only 2.16.1 native build is the
# CUDA 12.1 one; it runs on CPU as well, so both variants carry it. PYTORCH_FLAVOR picks
# ai.djl.pytorch:pytorch-native-<flavor> (the Maven property the pom's "gpu" profile sets).
ARG BASE_IMAGE=debian:trixie-slim
ARG RUNTIME_BASE=debian:trixie-slim

FROM ${BASE_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-25-jdk-headless curl unzip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# MAVEN_MIRROR: every repository Maven reads (Central included) goes through this URL.
# MVNW_REPOURL: where the Maven wrapper downloads Maven itself (the wrapper reads it from the environment).
ARG MAVEN_MIRROR=
ARG MVNW_REPOURL=
RUN if [ -n "$MAVEN_MIRROR" ]; then mkdir -p /root/.m2 && printf '%s\n' \
      '<settings><mirrors><mirror><id>build-mirror</id><mirrorOf>*</mirrorOf>' \
      "<url>$MAVEN_MIRROR</url></mirror></mirrors></settings>" > /root/.m2/settings.xml; fi
ARG PYTORCH_FLAVOR=cpu
# Maven, the plugins and the dependencies first: this layer is rebuilt only when the pom changes.
# (package with nothing compiled or repackaged resolves exactly what the real package needs.)
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -ntp package -DskipTests -Dmaven.main.skip -Dspring-boot.repackage.skip \
      -Dpytorch.native.flavor=${PYTORCH_FLAVOR} \
 && rm -rf target
COPY src/main src/main
RUN ./mvnw -B -ntp package -DskipTests -Dpytorch.native.flavor=${PYTORCH_FLAVOR} \
 && java -Djarmode=tools -jar target/seqserve-*.jar extract --layers \
      --destination /layers --application-filename seqserve.jar
# Unpack the engine libraries now rather than on every container start (TensorFlow alone is
# 1.1 GB unpacked); the TF and PyTorch native jars are dropped once unpacked. PyTorch's JNI library
# goes where DJL looks before extracting it, so nothing native is written at run time.
COPY deploy/docker/unpack-natives.sh /usr/local/bin/
RUN unpack-natives.sh /layers /natives ${PYTORCH_FLAVOR}

FROM ${RUNTIME_BASE} AS runtime
# Debian's (or Ubuntu's, on the CUDA base) OpenJDK 25 runtime; curl for HEALTHCHECK; a fixed
# non-root uid/gid so Kubernetes can check runAsNonRoot.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-25-jre-headless curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 seqserve \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/seqserve --create-home seqserve \
 && mkdir -p /models /data \
 && chown 10001:10001 /models /data \
 && rm -rf /tmp/*
ENV LANG=C.UTF-8
ARG PYTORCH_FLAVOR=cpu
# The ENTRYPOINT: java, with a second JIT compiler thread on fewer than 4 CPUs (the script says why).
COPY deploy/docker/seqserve-java /usr/local/bin/

# Natives first and application last: an application rebuild changes only the last layers.
COPY --from=build /natives /opt/seqserve/natives
WORKDIR /opt/seqserve/app
COPY --from=build /layers/engine-natives/ ./
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./

# DJL loads the unpacked libraries from these paths (ENGINE_CACHE_DIR holds PyTorch's JNI library
# where DJL looks for it), so nothing native is written at run time: the image runs with a read-only
# root and only /tmp (noexec is fine), /data and, for writes, /models writable. DJL_CACHE_DIR is
# DJL's cache for anything else, under /tmp. MALLOC_ARENA_MAX bounds glibc's
# per-thread arenas, which otherwise grow RSS with many inference threads. OMP_NUM_THREADS=1 keeps
# libgomp from giving every thread that runs a PyTorch pass its own team of spinning threads (10x
# slower passes on a few cores, bench/README.md); raise it with seqserve.runtime.intra-op-threads for
# large models. The heap gets 55 % of the container's memory: tensors live off-heap.
ENV TENSORFLOW_LIBRARY_PATH=/opt/seqserve/natives/tensorflow \
    PYTORCH_LIBRARY_PATH=/opt/seqserve/natives/pytorch \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    ENGINE_CACHE_DIR=/opt/seqserve/natives/engines \
    DJL_CACHE_DIR=/tmp/djl \
    SEQSERVE_MODELS_ROOT=/models \
    SEQSERVE_DATA_DIR=/data \
    MALLOC_ARENA_MAX=2 \
    OMP_NUM_THREADS=1 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=55 -XX:+ExitOnOutOfMemoryError"

USER 10001:10001
VOLUME ["/models", "/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/readyz || exit 1
# Exec form, and seqserve-java execs java: java is PID 1 and gets SIGTERM itself, which starts Spring's
# graceful shutdown. -XX:AOTCache: the cache the next stage records (a JVM that cannot use it says so and
# runs without it). The engines' JNI libraries and protobuf's Unsafe use are allowed explicitly: JDK 25
# warns otherwise.
ENTRYPOINT ["seqserve-java", "-XX:AOTCache=/opt/seqserve/app/seqserve.aot", \
            "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", \
            "-Donnxruntime.native.path=/opt/seqserve/natives/onnxruntime", "-jar", "seqserve.jar"]

# The JVM's ahead-of-time cache (JDK 25: classes loaded and linked, JEP 483; method profiles, JEP 515),
# recorded by one start of this very image on the demo models: the server's own HTTP warm-up drives
# :predict through every engine before it is ready, then it is stopped and the JVM writes the cache.
# A replica starts from it with its classes linked and its profiles known: ready sooner, and fast
# sooner after ready (bench/README.md, "From ready"). The models are only the training input.
FROM runtime AS aot-training
COPY --chown=10001:10001 models /tmp/aot-models
COPY deploy/docker/train-aot-cache.sh /usr/local/bin/
RUN train-aot-cache.sh /opt/seqserve/app/seqserve.jar /tmp/aot-models /tmp/seqserve.aot \
      --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
      -Donnxruntime.native.path=/opt/seqserve/natives/onnxruntime

FROM runtime
COPY --from=aot-training /tmp/seqserve.aot /opt/seqserve/app/seqserve.aot
