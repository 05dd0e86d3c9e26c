#!/usr/bin/env bash
# Installs Trino for the test suite's Trino tier: trino-server-core plus the Hive plugin (which the
# core tarball lacks), both from Maven Central through Maven, unpacked once into a cache reused by
# every later run. Prints the install directory on its last line.
#   TESSERA_TRINO_HOME  where to unpack (default ~/.cache/tessera/trino)
#   TESSERA_TRINO_VERSION  (default 476, the newest release served here)
set -euo pipefail
version="${TESSERA_TRINO_VERSION:-476}"
cache="${TESSERA_TRINO_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/tessera/trino}"
home="$cache/trino-server-$version"
if [[ -f "$home/.installed" ]]; then
  echo "trino $version already installed"
  echo "$home"
  exit 0
fi
command -v mvn >/dev/null || { echo "error: Maven (mvn) is needed to fetch Trino from Maven Central" >&2; exit 1; }
started=$(date +%s)
download="$cache/download-$version"
mkdir -p "$download"
# dependency:copy puts the artifacts where we unpack them; the local Maven repository keeps a copy too.
for artifact in "io.trino:trino-server-core:$version:tar.gz" "io.trino:trino-hive:$version:zip"; do
  mvn -B -q -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy -Dartifact="$artifact" -DoutputDirectory="$download" -Dmdep.overWriteReleases=false
done
rm -rf "$home" "$home.tmp"
mkdir -p "$home.tmp"
tar -xzf "$download/trino-server-core-$version.tar.gz" -C "$home.tmp" --strip-components=1
python3 - "$download/trino-hive-$version.zip" "$home.tmp/plugin" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
mv "$home.tmp/plugin/trino-hive-$version" "$home.tmp/plugin/hive"
# The downloads are not needed once unpacked (Maven's local repository still holds them).
rm -rf "$download"
touch "$home.tmp/.installed"
mv "$home.tmp" "$home"
echo "trino $version installed in $(( $(date +%s) - started )) s"
echo "$home"
