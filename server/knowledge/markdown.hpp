#pragma once
/// Markdown bodies (GitHub-flavoured, cmark-gfm from Debian): checked on save, rendered to HTML on
/// the server. Raw HTML and links or images with other schemes than http, https, mailto and
/// relative paths are refused on save (a 422 naming the field), and the renderer runs in
/// cmark-gfm's safe mode besides, so nothing the author typed can run in a reader's browser.

#include <string>
#include <string_view>

#include "platform/core/error.hpp"

namespace fairdesk::knowledge {

/// OK, or kInvalid naming `field` with what is not allowed and the line where it is.
Status CheckMarkdown(std::string_view markdown, std::string_view field);

/// Sanitised HTML of a checked body (tables, strikethrough, autolinks, task lists).
std::string RenderHtml(std::string_view markdown);

/// The text of a body without markup (for search and snippets).
std::string PlainText(std::string_view markdown);

}  // namespace fairdesk::knowledge
