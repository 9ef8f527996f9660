# seqserve container image (docs/deployment.md).
#
#   CPU (default):  docker build -t seqserve .
#   GPU (CUDA 12):  docker build -t seqserve:gpu \
#                     --build-arg RUNTIME_BASE=nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04 \
#                     --build-arg PYTORCH_FLAVOR=cu128 .
#
# TensorFlow's only 2.16.1 native build is the CUDA 12.1 one; it runs on CPU as well, so both
# variants carry it. PYTORCH_FLAVOR picks ai.djl.pytorch:pytorch-native-<flavor> (the Maven
# property the pom's "gpu" profile sets).
ARG RUNTIME_BASE=ubuntu:22.04
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy

FROM eclipse-temurin:17-jdk-jammy AS build
ARG PYTORCH_FLAVOR=cpu
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl unzip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first: this layer is rebuilt only when the pom changes.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline -Dpytorch.native.flavor=${PYTORCH_FLAVOR}
COPY src/main src/main
RUN ./mvnw -B -q package -DskipTests -Dpytorch.native.flavor=${PYTORCH_FLAVOR} \
 && java -Djarmode=tools -jar target/seqserve-*.jar extract --layers \
      --destination /layers --application-filename seqserve.jar
# Unpack the engine libraries now rather than on every container start (TensorFlow alone is
# 1.1 GB unpacked); the TF and PyTorch native jars are dropped once unpacked.
COPY deploy/docker/unpack-natives.sh /usr/local/bin/
RUN unpack-natives.sh /layers/engine-natives/lib /natives

FROM ${JRE_IMAGE} AS jre

FROM ${RUNTIME_BASE}
ARG PYTORCH_FLAVOR=cpu
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH \
    LANG=C.UTF-8
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
# curl for HEALTHCHECK; a fixed non-root uid/gid so Kubernetes can check runAsNonRoot.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 seqserve \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/seqserve --create-home seqserve \
 && mkdir -p /models /data /var/cache/seqserve \
 && chown 10001:10001 /models /data /var/cache/seqserve

# Natives first and application last: an application rebuild changes only the last layers.
COPY --from=build /natives /opt/seqserve/natives
WORKDIR /opt/seqserve/app
COPY --from=build /layers/engine-natives/ ./
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./

# DJL loads the unpacked libraries from these paths; its cache then only receives the 4 MB PyTorch
# JNI library. MALLOC_ARENA_MAX bounds glibc's per-thread arenas, which otherwise grow RSS with
# many inference threads. OMP_NUM_THREADS=1 keeps libgomp from giving every thread that runs a
# PyTorch pass its own team of spinning threads (10x slower passes on a few cores, bench/README.md);
# raise it with seqserve.runtime.intra-op-threads for large models. The heap gets 55 % of the
# container's memory: tensors live off-heap.
ENV TENSORFLOW_LIBRARY_PATH=/opt/seqserve/natives/tensorflow \
    PYTORCH_LIBRARY_PATH=/opt/seqserve/natives/pytorch \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR} \
    DJL_CACHE_DIR=/var/cache/seqserve/djl \
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
# Exec form: java is PID 1 and gets SIGTERM itself, which starts Spring's graceful shutdown.
ENTRYPOINT ["java", "-Donnxruntime.native.path=/opt/seqserve/natives/onnxruntime", "-jar", "seqserve.jar"]
