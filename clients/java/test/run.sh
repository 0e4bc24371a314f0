#!/usr/bin/env bash
# ctest java_client: generates the Java messages and stubs from protos/ (protoc and Debian's
# grpc_java_plugin), compiles the helpers and the example with javac against Debian's jars (no
# Maven), and runs the example against the real suite.
#   clients/java/test/run.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
googleapis=${THB_GOOGLEAPIS_DIR:-/usr/share/gocode/src/github.com/gogo/googleapis}
mkdir -p "$work/gen" "$work/classes"
contracts=$(cd "$root/protos" && find thb -name '*.proto' | sort)
inc=(-I"$root/protos" -I"$googleapis" -I/usr/include)
(cd "$root/protos" && protoc "${inc[@]}" --java_out="$work/gen" --grpc-java_out="$work/gen" \
  --plugin=protoc-gen-grpc-java=/usr/bin/grpc_java_plugin $contracts)
# The googleapis types the contracts use (Java users take proto-google-common-protos instead).
protoc "${inc[@]}" --java_out="$work/gen" google/api/annotations.proto google/api/http.proto \
  google/type/date.proto google/type/money.proto google/rpc/status.proto \
  google/rpc/error_details.proto google/rpc/code.proto
jars=(protobuf grpc-api grpc-context grpc-core grpc-netty grpc-protobuf grpc-protobuf-lite
  grpc-stub guava failureaccess perfmark-api error_prone_annotations jsr305 netty-buffer
  netty-codec netty-codec-http netty-codec-http2 netty-common netty-handler netty-resolver
  netty-transport netty-handler-proxy netty-codec-socks geronimo-annotation-1.3-spec
  opencensus-api)
cp=""
for j in "${jars[@]}"; do
  [ -f "/usr/share/java/$j.jar" ] && cp="$cp:/usr/share/java/$j.jar"
done
cp=${cp#:}
find "$work/gen" "$here/src" "$here/examples" -name '*.java' > "$work/sources"
javac -nowarn -encoding UTF-8 -d "$work/classes" -cp "$cp" @"$work/sources"
exec /usr/bin/python3 "$here/../testing/with_suite.py" --build "$build" -- \
  /usr/bin/python3 "$here/test/check_quickstart.py" "$work/classes:$cp"
