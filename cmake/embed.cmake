# Writes a C++ source that holds the text of IN as `extern const std::string_view NAME`.
# Used to build versioned seed data (JSON) into the binary, so a fresh install needs no data files.
file(READ ${IN} content)
file(WRITE ${OUT} "#include <string_view>\nnamespace fairdesk::embedded {\nextern const std::string_view ${NAME};\nconst std::string_view ${NAME} = R\"FDEMBED(${content})FDEMBED\";\n}\n")
