// SPDX-License-Identifier: Apache-2.0
//
// GraderPath.cpp
//


#include "GraderPath.h"
#include <filesystem>
#include <stdexcept>


namespace XQueuePlugin {


std::string GraderPath::resolve(const std::string& root, const std::string& relative)
{
	namespace fs = std::filesystem;
	if (relative.empty()) throw std::invalid_argument("grader_payload names no grader");
	const fs::path given(relative);
	for (const auto& part: given)
	{
		if (part == "..") throw std::invalid_argument("grader path '" + relative + "' contains path traversal sequences");
	}
	std::error_code error;
	const fs::path realRoot = fs::canonical(root, error);
	if (error) throw std::invalid_argument("grader root '" + root + "' cannot be resolved: " + error.message());
	// An absolute path replaces the root here, and is then refused as outside it.
	const fs::path resolved = fs::weakly_canonical(realRoot / given, error);
	if (error) throw std::invalid_argument("grader path '" + relative + "' cannot be resolved: " + error.message());
	const fs::path inside = resolved.lexically_relative(realRoot);
	if (inside.empty() || *inside.begin() == ".." || inside == ".")
		throw std::invalid_argument("grader path '" + relative + "' resolves outside the grader root");
	if (!fs::is_regular_file(resolved, error)) throw std::invalid_argument("grader '" + relative + "' is not a file under the grader root");
	return inside.generic_string();
}


} // namespace XQueuePlugin
