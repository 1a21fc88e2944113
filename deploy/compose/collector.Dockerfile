# A JRE with libvirt's client library, which the collector binds through JNA (libvirt.so.0).
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends libvirt0 \
 && rm -rf /var/lib/apt/lists/*
