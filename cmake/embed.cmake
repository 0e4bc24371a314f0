# Writes a C++ source defining `SYMBOL` (bytes) and `SYMBOL_size` with the contents of INPUT.
# Usage: cmake -DINPUT=file -DOUTPUT=file.cc -DSYMBOL=name -P embed.cmake
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}"
  "// Generated from ${INPUT} by cmake/embed.cmake.\n#include <cstddef>\n"
  "extern const unsigned char ${SYMBOL}[] = {${bytes}};\n"
  "extern const std::size_t ${SYMBOL}_size = sizeof(${SYMBOL});\n")
