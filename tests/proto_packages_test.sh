#!/usr/bin/env bash
# Every language's generated code lands where its package options say, under names that do not
# clash: protoc's Java, C#, Ruby, PHP and Objective-C generators, and Go with Debian's
# protoc-gen-go and protoc-gen-go-grpc.
#   tests/proto_packages_test.sh PROTO_DIR GOOGLEAPIS_DIR GRPC_PROTO_DIR
set -euo pipefail
protos=$(cd "$1" && pwd) googleapis=$2 grpcproto=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
files=$(cd "$protos" && find thb -name '*.proto' | sort)
inc=(-I"$protos" -I"$googleapis" -I"$grpcproto" -I/usr/include)
fail=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if ! "$@"; then echo "FAIL $what"; fail=1; fi
}
for lang in java csharp ruby php objc; do
  mkdir -p "$out/$lang"
  (cd "$protos" && protoc "${inc[@]}" --"$lang"_out="$out/$lang" $files)
done
# Debian's googleapis copy (gogo) declares Go packages of its own ("api"); Go users take the
# standard google.golang.org/genproto packages, as the README says.
gomap=(
  Mgoogle/api/annotations.proto=google.golang.org/genproto/googleapis/api/annotations
  Mgoogle/api/http.proto=google.golang.org/genproto/googleapis/api/annotations
  Mgoogle/type/date.proto=google.golang.org/genproto/googleapis/type/date
  Mgoogle/type/money.proto=google.golang.org/genproto/googleapis/type/money
)
goopts=$(IFS=,; echo "${gomap[*]}")
mkdir -p "$out/go"
(cd "$protos" && protoc "${inc[@]}" --go_out="$out/go" --go_opt="$goopts" \
  --go-grpc_out="$out/go" --go-grpc_opt="$goopts" $files)

for pillar in commission coordinator rapporteur; do
  Pillar="$(tr '[:lower:]' '[:upper:]' <<< "${pillar:0:1}")${pillar:1}"
  # Java: one class per message, the file's own class named *Proto, never *OuterClass.
  check "java $pillar outer class" test -f "$out/java/org/thbsuite/$pillar/v1/${Pillar}Proto.java"
  # C#: the namespace.
  check "csharp $pillar namespace" grep -q "namespace ThbSuite.$Pillar.V1" "$out/csharp/$Pillar.cs"
  # Ruby: the module path.
  check "ruby $pillar module" grep -q "^  module $Pillar$" "$out/ruby/thb/$pillar/v1/${pillar}_pb.rb"
  check "ruby $pillar root module" grep -q "^module ThbSuite$" "$out/ruby/thb/$pillar/v1/${pillar}_pb.rb"
  # PHP: the namespace directory.
  check "php $pillar namespace" test -d "$out/php/ThbSuite/$Pillar/V1"
  # Objective-C: prefixed class names.
  check "objc $pillar prefix" grep -q "@interface THB" "$out/objc/thb/$pillar/v1/$Pillar.pbobjc.h"
  # Go: a full import path, the package name, and the gRPC stubs beside it.
  check "go $pillar path" test -f "$out/go/thbsuite.org/go/thb/$pillar/v1/$pillar.pb.go"
  check "go $pillar package" grep -q "^package ${pillar}v1$" "$out/go/thbsuite.org/go/thb/$pillar/v1/$pillar.pb.go"
  check "go $pillar grpc" test -f "$out/go/thbsuite.org/go/thb/$pillar/v1/${pillar}_grpc.pb.go"
done
check "java type outer classes" test -f "$out/java/org/thbsuite/type/v1/VocabularyProto.java"
outer=$(find "$out/java" -name '*OuterClass.java' | head -n1)
check "no java *OuterClass (found ${outer:-none})" test -z "$outer"
check "go type package" grep -q "^package typev1$" "$out/go/thbsuite.org/go/thb/type/v1/vocabulary.pb.go"
[ "$fail" = 0 ] && echo "generated Java, C#, Ruby, PHP, Objective-C and Go: every package option holds"
exit "$fail"
