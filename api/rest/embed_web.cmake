# cmake -DWEB_DIR=web -DOUT=web_embedded.cpp -P embed_web.cmake: writes every file under WEB_DIR (but
# dotfiles) into a C++ source as byte arrays, for StaticSite::Embedded() (api/rest/static.h). Run at
# build time by api/rest/CMakeLists.txt whenever a file of web/ changes; no JS build step.
file(GLOB_RECURSE files RELATIVE ${WEB_DIR} ${WEB_DIR}/*)
list(SORT files)
set(arrays "")
set(table "")
set(n 0)
foreach(f ${files})
  if(f MATCHES "(^|/)\\.")
    continue()
  endif()
  file(READ ${WEB_DIR}/${f} hex HEX)
  string(LENGTH "${hex}" len)
  math(EXPR size "${len} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x..,){32})" "\\1\n" bytes "${bytes}")
  string(APPEND arrays "const unsigned char f${n}[] = {\n${bytes}0};\n")
  string(APPEND table "    {\"${f}\", f${n}, ${size}},\n")
  math(EXPR n "${n} + 1")
endforeach()
file(WRITE ${OUT}.tmp
  "// Generated from web/ by api/rest/embed_web.cmake. Do not edit.\n#include <cstddef>\n"
  "namespace suiji::rest {\nstruct EmbeddedWebFile {\n  const char* path;\n  const unsigned char* data;\n"
  "  std::size_t size;\n};\nnamespace {\n${arrays}}  // namespace\n"
  "extern const EmbeddedWebFile kEmbeddedWeb[] = {\n${table}    {nullptr, nullptr, 0}};\n"
  "extern const std::size_t kEmbeddedWebCount = ${n};\n}  // namespace suiji::rest\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
