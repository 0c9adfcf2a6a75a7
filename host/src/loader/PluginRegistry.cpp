// SPDX-License-Identifier: Apache-2.0
//
// PluginRegistry.cpp
//


#include "loader/PluginRegistry.h"
#include "Poco/Path.h"


namespace XQueue {


PluginRegistry::PluginRegistry(const std::string& directory, const std::map<std::string, std::string>& explicitPaths):
	_directory(directory),
	_explicitPaths(explicitPaths)
{
}


std::string PluginRegistry::pathOf(const std::string& id) const
{
	auto it = _explicitPaths.find(id);
	if (it != _explicitPaths.end()) return it->second;
	Poco::Path path(Poco::Path::forDirectory(_directory));
	path.setFileName("xq_" + id + ".so");
	return path.toString();
}


std::shared_ptr<PluginLibrary> PluginRegistry::library(const std::string& id)
{
	auto it = _libraries.find(id);
	if (it != _libraries.end()) return it->second;
	auto library = PluginLibrary::load(id, pathOf(id));
	_libraries[id] = library;
	return library;
}


} // namespace XQueue
