#!/usr/bin/env bash
# Builds the suite under ThreadSanitizer and runs its unit and end-to-end tests (ctest --preset
# tsan). Extra arguments go to ctest (e.g. -R Coordinator).
#
# Debian's Abseil is not built with -fsanitize=thread, so absl::Mutex (which the suite and gRPC
# core lock with) would be invisible to TSan, and every access it guards would be reported as a
# race. So, once, this script builds Debian's own Abseil source package (the installed version,
# with Debian's patches and inline namespace, so it is a drop-in for the installed libraries)
# with -fsanitize=thread into build/absl-tsan/lib; the tsan test preset puts that directory on
# LD_LIBRARY_PATH. Needs the Debian archive (deb.debian.org) the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir="$PWD"
root="$PWD/build/absl-tsan"
deb="$(dpkg-query -W -f='${Version}' libabsl-dev)"   # e.g. 20220623.1-1+deb12u2
upstream="${deb%%-*}"
if [[ ! -f "$root/lib/.built-$deb" ]]; then
  rm -rf "$root" && mkdir -p "$root/src" "$root/lib"
  cd "$root/src"
  for f in "abseil_${deb}.dsc" "abseil_${upstream}.orig.tar.gz" "abseil_${deb}.debian.tar.xz"; do
    curl -fsS -o "$f" "http://deb.debian.org/debian/pool/main/a/abseil/$f" ||
      curl -fsS -o "$f" "http://deb.debian.org/debian-security/pool/updates/main/a/abseil/$f"
  done
  dpkg-source -x "abseil_${deb}.dsc" abseil   # checks the files against the .dsc's checksums
  cmake -S abseil -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_STANDARD=17 \
    -DBUILD_SHARED_LIBS=ON -DBUILD_TESTING=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" >/dev/null
  cmake --build build
  find build -name 'libabsl_*.so*' -exec cp -P {} "$root/lib/" \;
  touch "$root/lib/.built-$deb"
  cd "$source_dir"
fi
cmake --preset tsan
cmake --build --preset tsan
ctest --preset tsan -j"$(nproc)" "$@"
