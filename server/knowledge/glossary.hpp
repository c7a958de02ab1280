#pragma once
/// The maintained glossary of search: German word parts (to split compounds such as
/// Kündigungsschutzklage) and groups of synonyms and cross-language terms. Edited here, in the
/// code, reviewed like code; the terms are written naturally and normalised when loaded.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fairdesk::knowledge {

/// Normalised German word parts, longest first.
const std::vector<std::string>& CompoundLexicon();

/// The groups (each: normalised members, a member may have several words).
const std::vector<std::vector<std::string>>& SynonymGroups();

}  // namespace fairdesk::knowledge
