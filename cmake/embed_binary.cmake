# Writes a C++ source that holds the bytes of IN (any binary file) as
# `extern const std::string_view NAME`. Used for the portal's web fonts (WOFF2).
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(('\\\\x[0-9a-f][0-9a-f]',){32})" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "#include <string_view>\nnamespace fairdesk::embedded {\nnamespace {\nconst char ${NAME}_data[] = {\n${bytes}};\n}\nextern const std::string_view ${NAME};\nconst std::string_view ${NAME}{${NAME}_data, ${size}};\n}\n")
